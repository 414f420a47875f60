"""The web interface (`xdd serve`): Starlette routes rendering Jinja2 templates, over read-only
DuckDB connections opened per request (a load may run meanwhile; each page shows the state the
database has when it is asked for). Every page also answers `format=json`, tables `format=csv`,
charts and maps `format=svg`. A bad parameter is a 400 page in plain words."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
import time
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path
from urllib.parse import urlencode

import duckdb
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipelines.errors import DatabaseError, XddError
from pipelines.web import fmt, queries as wq, svg

HERE = Path(__file__).parent
DEMO_SITE = Path(__file__).resolve().parents[2] / "data" / "demo_site"
PER_PAGE = 10
MAX_PAGE = 100
FORMATS_TABLE = ("html", "json", "csv")


# ------------------------------------------------------------------ errors and parameters
class BadParam(Exception):
    """A request parameter the page cannot use: a 400 page with this message."""


class NotFound(Exception):
    """A page for something the knowledge base does not hold: a 404 page."""


@dataclass
class Params:
    """Query parameters read with checks; every failure is a BadParam in Vietnamese."""
    query: dict

    def text(self, name: str, max_len: int = 300) -> str | None:
        value = self.query.get(name)
        if value is None:
            return None
        value = " ".join(value.split())
        if len(value) > max_len:
            raise BadParam(f"Tham số “{name}” quá dài (tối đa {max_len} ký tự).")
        return value or None

    def day(self, name: str) -> str | None:
        value = self.text(name, 20)
        if value is None:
            return None
        try:
            return _date.fromisoformat(value).isoformat()
        except ValueError:
            raise BadParam(f"Ngày “{value}” (tham số {name}) không đúng dạng năm-tháng-ngày, ví dụ 2023-05-18.") from None

    def year(self, name: str) -> str | None:
        value = self.text(name, 10)
        if value is not None and not re.fullmatch(r"\d{4}", value):
            raise BadParam(f"Kỳ “{value}” (tham số {name}) phải là một năm gồm 4 chữ số, ví dụ 2023.")
        return value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        value = self.text(name, 12)
        if value is None:
            return default
        if not re.fullmatch(r"\d+", value) or not low <= int(value) <= high:
            raise BadParam(f"Tham số “{name}” phải là một số nguyên từ {low} đến {high} (nhận được “{value}”).")
        return int(value)

    def choice(self, name: str, choices, default: str | None = None) -> str | None:
        value = self.text(name, 40)
        if value is None:
            return default
        if value not in choices:
            raise BadParam(f"Tham số “{name}” không nhận giá trị “{value}”; chọn một trong: {', '.join(choices)}.")
        return value

    def flag(self, name: str) -> bool:
        value = (self.text(name, 10) or "").lower()
        if value in ("", "0", "false", "off", "no", "khong"):
            return False
        if value in ("1", "true", "on", "yes", "co"):
            return True
        raise BadParam(f"Tham số “{name}” chỉ nhận 1 (có) hoặc 0 (không), nhận được “{value}”.")

    def format(self, allowed=FORMATS_TABLE) -> str:
        return self.choice("format", allowed, "html")


# ------------------------------------------------------------------ connections
class Holder:
    """Read-only access to the database, opened when a request comes and closed `linger` seconds
    after the last one ends: each request gets its own cursor on one DuckDB instance, so a burst
    of requests pays the file's opening (tens of ms) once. Loads never write this file: they
    publish a new one in its place (pipelines.versions), which the next requests open once the
    requests on the previous one have ended. A file held by a writer of another kind (an older
    version of xdd) makes a request wait up to `wait` seconds and then answer 503 (retry later)."""

    def __init__(self, path: Path, linger: float = 0.5):
        self.path, self.linger = path, linger
        self.lock = threading.Lock()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.ident = None
        self.users = 0
        self.last = 0.0
        self.timer: threading.Timer | None = None

    def _ident(self):
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return st.st_ino, st.st_dev

    def _open(self, wait: float) -> duckdb.DuckDBPyConnection:
        if not self.path.exists():
            raise DatabaseError(f"no knowledge base at {self.path}: run `xdd demo` or `xdd load` first")
        deadline = time.monotonic() + wait
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=True)
                break
            except duckdb.IOException as exc:
                msg = str(exc).splitlines()[0]
                if "lock" not in msg.lower():
                    raise DatabaseError(f"cannot open {self.path}: not a DuckDB database or damaged ({msg})") from None
                if time.monotonic() > deadline:
                    raise DatabaseError(f"{self.path} is in use by another process (a load is running?)") from None
                time.sleep(0.05)
            except duckdb.Error as exc:
                raise DatabaseError(f"cannot open {self.path}: {str(exc).splitlines()[0]}") from None
        if not con.execute("SELECT count(*) FROM information_schema.tables "
                           "WHERE table_name = 'schema_migrations'").fetchone()[0]:
            con.close()
            raise DatabaseError(f"{self.path} is a DuckDB file but not an xdd knowledge base")
        return con

    def acquire(self, wait: float = 2.0) -> duckdb.DuckDBPyConnection:
        # A load publishes a new file (pipelines.versions): new requests wait (up to `wait`) for
        # those on the previous one to end, then it is closed and the new one opened (DuckDB
        # would hand the previous instance to a second connection of the same path).
        deadline = time.monotonic() + wait
        while True:
            with self.lock:
                replaced = self.con is not None and self._ident() != self.ident
                if replaced and self.users == 0:
                    self._close()
                if not replaced or self.users == 0 or time.monotonic() >= deadline:
                    if self.con is None:
                        self.con = self._open(max(0.0, deadline - time.monotonic()))
                        self.ident = self._ident()
                    self.users += 1
                    try:
                        cur = self.con.cursor()
                    except BaseException:
                        self.users -= 1
                        raise
                    break
            time.sleep(0.005)
        try:
            cur.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")
        except BaseException:
            self.release(cur)
            raise
        return cur

    def release(self, cur) -> None:
        try:
            cur.close()
        finally:
            with self.lock:
                self.users -= 1
                self.last = time.monotonic()
                if self.users == 0:
                    if self.linger <= 0:
                        self._close()
                    elif self.timer is None:
                        self.timer = threading.Timer(self.linger, self._expire)
                        self.timer.daemon = True
                        self.timer.start()

    def _expire(self) -> None:
        with self.lock:
            self.timer = None
            if self.con is None or self.users:
                return
            left = self.linger - (time.monotonic() - self.last)
            if left > 0.005:
                self.timer = threading.Timer(left, self._expire)
                self.timer.daemon = True
                self.timer.start()
                return
            self._close()

    def _close(self) -> None:
        if self.con is not None:
            try:
                self.con.close()
            finally:
                self.con = None

    def close(self) -> None:
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None
            self._close()

    @property
    def is_open(self) -> bool:
        return self.con is not None


# ------------------------------------------------------------------ the app
class Web:
    """What every page needs: the database path, the templates, connections, responses."""

    def __init__(self, db_path: Path, linger: float = 0.5):
        self.db_path = Path(db_path)
        self.holder = Holder(self.db_path, linger)
        self.env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                               autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(number=fmt.number, vdate=fmt.date, vdatetime=fmt.datetime, category=fmt.category,
                                measure=lambda v: fmt.label(fmt.MEASURE_LABELS, v),
                                scope=lambda v: fmt.label(fmt.SCOPE_LABELS, v),
                                unitlabel=lambda v: fmt.label(fmt.UNIT_LABELS, v),
                                qualifier=lambda v: fmt.label(fmt.QUALIFIER_LABELS, v),
                                kind=lambda v: fmt.label(fmt.KIND_LABELS, v), source_href=source_href)
        self.env.globals.update(categories=fmt.CATEGORY_LABELS, measures=fmt.MEASURE_LABELS,
                                scopes=fmt.SCOPE_LABELS, units=fmt.UNIT_LABELS)

    @contextmanager
    def connect(self, wait: float = 2.0):
        """A read-only cursor for one request (pipelines.web.app.Holder)."""
        cur = self.holder.acquire(wait)
        try:
            yield cur
        finally:
            self.holder.release(cur)

    def version(self):
        """The database file's identity and modification time: what a load changes."""
        try:
            st = os.stat(self.db_path)
        except OSError:
            return None
        wal = self.db_path.with_name(self.db_path.name + ".wal")
        return st.st_ino, st.st_mtime_ns, st.st_size, wal.stat().st_mtime_ns if wal.exists() else 0

    def render(self, request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        context.setdefault("title", "xdd")
        html = self.env.get_template(template).render(request=request, url_with=_url_with(request),
                                                      path=request.url.path, **context)
        return HTMLResponse(html, status_code=status)


def json_response(data, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, default=str, indent=1), status_code=status,
                    media_type="application/json; charset=utf-8")


def csv_response(rows: list[dict], columns: list[str], filename: str) -> Response:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow({c: _csv_value(r.get(c)) for c in columns})
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def svg_response(svg_text: str, filename: str) -> Response:
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + svg_text, media_type="image/svg+xml",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _csv_value(v):
    if isinstance(v, (list, tuple)):
        return "; ".join(str(x) for x in v)
    return v


def _url_with(request: Request):
    """url_with(**changes): this page's URL with some parameters changed (None: removed);
    the page number is dropped unless given."""
    def build(_path: str | None = None, **changes) -> str:
        params = {k: v for k, v in request.query_params.items() if k != "page"}
        for k, v in changes.items():
            if v is None or v is False:
                params.pop(k, None)
            else:
                params[k] = "1" if v is True else str(v)
        qs = urlencode(params)
        return (_path or request.url.path) + ("?" + qs if qs else "")
    return build


_LOCAL = re.compile(r"^https?://(?:127\.0\.0\.1|localhost)(?::\d+)?/(.*)$")


def source_href(url: str | None) -> str:
    """An article's source link. The demo site's articles were crawled from 127.0.0.1 at a port
    that is gone once the crawl ends: those links point at this app's copy (/demo-site/...)."""
    if not url:
        return ""
    m = _LOCAL.match(url)
    if m and DEMO_SITE.exists():
        rest = m.group(1).split("#")[0].split("?")[0]
        if (DEMO_SITE / rest).is_file():
            return "/demo-site/" + rest
    return url


# ------------------------------------------------------------------ pages
def create_app(db_path: Path | str, linger: float = 0.5) -> Starlette:
    """The app over the knowledge base at `db_path`; the database is held open at most `linger`
    seconds after the last request (see Holder)."""
    web = Web(Path(db_path), linger)

    def page(handler):
        """Runs a page handler, turning bad parameters into 400, unknown things into 404, a
        busy or missing knowledge base into 503, and library errors (an unknown province, a
        category) into 400, each a page in plain words (JSON with format=json)."""
        def endpoint(request: Request):
            want_json = request.query_params.get("format") == "json"
            try:
                return handler(web, request)
            except BadParam as exc:
                return _error(web, request, 400, "Tham số không hợp lệ", str(exc), want_json)
            except NotFound as exc:
                return _error(web, request, 404, "Không tìm thấy", str(exc), want_json)
            except DatabaseError as exc:
                return _error(web, request, 503, "Cơ sở tri thức chưa sẵn sàng", _db_message(str(exc)), want_json)
            except XddError as exc:
                return _error(web, request, 400, "Tham số không hợp lệ", _xdd_message(str(exc)), want_json)
            except duckdb.Error as exc:
                return _error(web, request, 503, "Lỗi đọc cơ sở tri thức", str(exc).splitlines()[0], want_json)
        endpoint.__name__ = handler.__name__
        return endpoint

    from pipelines.web import pages

    routes = [
        Route("/", page(pages.index)),
        Route("/search", page(pages.search_page)),
        Route("/article/{doc_id:path}", page(pages.article)),
        Route("/compare", page(pages.compare_page)),
        Route("/document/{key:path}", page(pages.document_page)),
        Route("/document", page(pages.document_list)),
        Route("/practices", page(pages.practices_page)),
        Route("/favicon.ico", lambda r: Response(status_code=204)),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    if DEMO_SITE.exists():
        routes.append(Mount("/demo-site", StaticFiles(directory=str(DEMO_SITE), html=True), name="demo"))

    async def not_found(request: Request, exc: HTTPException):
        status = getattr(exc, "status_code", 404)
        return _error(web, request, status, "Không tìm thấy" if status == 404 else "Lỗi",
                      f"Không có trang {request.url.path}." if status == 404 else str(exc.detail),
                      request.query_params.get("format") == "json")

    async def server_error(request: Request, exc: Exception):
        return _error(web, request, 500, "Lỗi máy chủ", "Trang này gặp lỗi khi hiển thị; hãy thử lại hoặc báo lỗi.",
                      request.query_params.get("format") == "json")

    @asynccontextmanager
    async def lifespan(app):
        from pipelines.web import geo

        threading.Thread(target=geo.tables, daemon=True).start()     # coordinates read ahead
        try:
            yield
        finally:
            web.holder.close()

    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found, 500: server_error},
                    lifespan=lifespan)
    app.state.web = web
    return ServerTiming(app)


class ServerTiming:
    """ASGI middleware: the time the app took for a response, in its `Server-Timing` header
    (`app;dur=12.3`, milliseconds; benchmarks/bench_web.py reads it)."""

    def __init__(self, app):
        self.app = app
        self.state = app.state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()

        async def timed(message):
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - start) * 1000
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [(b"server-timing", f"app;dur={ms:.1f}".encode())]
            await send(message)
        await self.app(scope, receive, timed)


def _error(web: Web, request: Request, status: int, heading: str, message: str, want_json: bool) -> Response:
    if want_json:
        return json_response({"error": heading, "message": message, "status": status}, status)
    resp = web.render(request, "error.html", status=status, title=heading, heading=heading, message=message)
    if status == 503:
        resp.headers["Retry-After"] = "5"
    return resp


def _db_message(text: str) -> str:
    if "in use" in text:
        return "Cơ sở tri thức đang được nạp dữ liệu (xdd load). Hãy tải lại trang sau ít giây. (" + text + ")"
    if "run `xdd index`" in text:
        return "Chỉ mục tìm kiếm chưa khớp với cơ sở dữ liệu: chạy `xdd index` rồi tải lại trang. (" + text + ")"
    if "no knowledge base" in text:
        return "Chưa có cơ sở tri thức: chạy `xdd demo` hoặc `xdd load` trước. (" + text + ")"
    return text


def _xdd_message(text: str) -> str:
    m = re.match(r"unknown province: '?(.*?)'? \(", text)
    if m:
        return f"Không biết tỉnh, thành phố “{m.group(1)}”. Hãy gõ tên tỉnh (trước hoặc sau sáp nhập 2025), ví dụ Bắc Giang."
    m = re.match(r"unknown category: '?(.*?)'? \(", text)
    if m:
        return f"Không có nhóm cách làm “{m.group(1)}”."
    m = re.match(r"unknown indicator: '?(.*?)'? \(", text)
    if m:
        return f"Không biết chỉ tiêu “{m.group(1)}”; hãy chọn một chỉ tiêu trong danh sách."
    return "Không dùng được giá trị này: " + text


__all__ = ["create_app", "BadParam", "NotFound", "Params", "Web", "json_response", "csv_response", "svg_response",
           "source_href", "Markup", "escape", "wq", "svg"]
