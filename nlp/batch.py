"""Batch extraction: article records in, contract JSONL out, order preserved.

Input is a JSONL file of ``{"doc_id", "text", "published"?}`` lines, a Parquet file with those
columns (``parquet_rows``), one ``.txt`` file, or a directory of ``.txt`` files (doc_id = file
stem). Work is sent to a ``multiprocessing`` pool in
chunks, with a bounded number of chunks in flight, so memory stays flat however large the
input; each worker loads the extractors once (``warm``). Nothing raises on bad input: every line
that is not extracted is a reject with a reason (``bad_json``, ``bad_encoding``,
``control_chars``, ``too_large``, ``timeout``, ``extract_error:<ExceptionType>``,
``duplicate_doc_id``...), counted, and written with its line number to ``OUT.rejects.jsonl``
by ``extract_file``. Texts are cleaned (NFC, Ð → Đ) before extraction: offsets index the
clean text.
"""
from __future__ import annotations

import json
import logging
import multiprocessing as mp
import re
import sys
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path

from nlp import settings
from nlp.text import clean

log = logging.getLogger(__name__)

CHUNK_SIZE = 8
IN_FLIGHT_PER_WORKER = 2
COUNTED = ("entities", "directives", "metrics", "practices")
DETAIL_CHARS = 300

Item = tuple[dict | None, str | None]  # (record, skip reason)

# C0 controls other than tab, newline and carriage return, and DEL: never in a real article.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_ID = re.compile(r"[\x00-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class Reason(str):
    """A reject reason (what is counted) with a detail for the rejects file."""

    detail: str = ""

    def __new__(cls, reason: str, detail: str = "") -> "Reason":
        obj = super().__new__(cls, reason)
        obj.detail = str(detail)[:DETAIL_CHARS]
        return obj

    def __reduce__(self):  # keeps the detail across worker processes
        return Reason, (str(self), self.detail)


def printable(value) -> str | None:
    """A doc_id (or any value) as it can be written to UTF-8 (lone surrogates escaped)."""
    if value is None:
        return None
    s = value if isinstance(value, str) else str(value)
    return s.encode("utf-8", "backslashreplace").decode("utf-8")[:DETAIL_CHARS]


# ------------------------------------------------------------------ reading
def _string_problem(value: str, control: re.Pattern = _CONTROL) -> str | None:
    if _SURROGATE.search(value):
        return "bad_unicode"
    if control.search(value):
        return "control_chars"
    return None


def check_record(obj) -> Item:
    """(normalised record, None) or (None, reason) for one parsed input object.

    The record's text is clean (NFC, Ð → Đ); a text longer than ``settings.MAX_CHARS`` is a
    ``too_large`` reject; optional fields (url, source, title, lead, published) are strings
    or null."""
    from nlp.article import FIELDS

    if not isinstance(obj, dict):
        return None, Reason("not_an_object", type(obj).__name__)
    text, doc_id = obj.get("text"), obj.get("doc_id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if doc_id is None or (isinstance(doc_id, str) and not doc_id.strip()):
        return None, Reason("no_doc_id")
    if not isinstance(doc_id, str):
        return None, Reason("bad_doc_id", f"doc_id is {type(doc_id).__name__}")
    problem = _string_problem(doc_id, _CONTROL_ID)
    if problem:
        return None, Reason(problem, "in doc_id")
    if text is None:
        return None, Reason("no_text")
    if not isinstance(text, str):
        return None, Reason("bad_text", f"text is {type(text).__name__}")
    problem = _string_problem(text)
    if problem:
        return None, Reason(problem, "in text")
    context = {}
    for k in FIELDS:
        v = obj.get(k)
        if v is not None and not isinstance(v, str):
            return None, Reason("bad_field", f"{k} is {type(v).__name__}")
        if isinstance(v, str) and _string_problem(v):
            return None, Reason(_string_problem(v), f"in {k}")
        context[k] = v
    if not text.strip():
        return None, Reason("empty_text")
    if len(text) > settings.MAX_CHARS:
        return None, Reason("too_large", f"{len(text)} characters > {settings.MAX_CHARS}")
    return {"doc_id": doc_id, "text": clean(text), **context}, None


def _doc_id_hint(obj) -> str | None:
    doc_id = obj.get("doc_id") if isinstance(obj, dict) else None
    if isinstance(doc_id, (str, int)) and not isinstance(doc_id, bool):
        return printable(doc_id)
    return None


def _parse(raw: bytes) -> tuple[dict | None, str | None, str | None]:
    """(record, reason, doc_id as far as known) of one JSONL line; blank: (None, None, None)."""
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, Reason("bad_encoding", f"invalid UTF-8 at byte {exc.start}"), None
    if not line.strip():
        return None, None, None
    try:
        obj = json.loads(line)
    except RecursionError:
        return None, Reason("bad_json", "nested too deep"), None
    except ValueError as exc:  # JSONDecodeError, and integers of more than 4,300 digits
        return None, Reason("bad_json", str(exc)), None
    record, why = check_record(obj)
    return record, why, _doc_id_hint(obj)


def parse_line(raw: bytes) -> Item:
    """One JSONL line (bytes) → checked record or skip reason; blank lines give (None, None)."""
    record, why, _ = _parse(raw)
    return record, why


def read_txt(path: Path) -> Item:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, Reason("bad_encoding")
    except OSError as exc:
        return None, Reason("unreadable", type(exc).__name__)
    return check_record({"doc_id": path.stem, "text": text})


def _lines(fh, limit: int) -> Iterator[bytes | None]:
    """The lines of a binary file; a line longer than ``limit`` bytes is read past and given
    as None (never held whole)."""
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        if len(raw) > limit and not raw.endswith(b"\n"):
            while True:
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
        else:
            yield raw


PARQUET_COLUMNS = ("doc_id", "text", "url", "source", "title", "lead", "published")
PARQUET_BATCH = 256


def parquet_rows(path: Path) -> Iterator[dict]:
    """The rows of a Parquet file as input records, a batch of PARQUET_BATCH rows at a time (never
    the whole file): its columns doc_id and text, and url, source, title, lead, published where
    present (others are not read). A date or timestamp becomes ISO text, as JSON input gives it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as pf:
            names = set(pf.schema_arrow.names)
            columns = [c for c in PARQUET_COLUMNS if c in names]
            for batch in pf.iter_batches(batch_size=PARQUET_BATCH, columns=columns):
                for row in batch.to_pylist():
                    yield {k: _iso(v) if k == "published" else v for k, v in row.items()}
    except pa.ArrowException as exc:
        raise ParquetError(f"cannot read {path} as Parquet: {' '.join(str(exc).split())[:200]}") from None


class ParquetError(ValueError):
    """A Parquet input that cannot be read (not Parquet, truncated, a column of another type)."""


def check_parquet(path: Path) -> None:
    """``ParquetError`` (one line) unless ``path`` opens as a Parquet file (footer and schema)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pq.read_schema(path)
    except pa.ArrowException as exc:
        raise ParquetError(f"cannot read {path} as Parquet: {' '.join(str(exc).split())[:200]}") from None


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def iter_numbered(path: Path) -> Iterator[tuple[int | None, str | None, dict | None, str | None]]:
    """(line number, doc_id as far as known, record, reason) for every non-blank input line
    (``.txt`` input: no line number, doc_id = file stem; ``.parquet`` input: the row number). A doc_id seen before in the same
    input is a ``duplicate_doc_id`` reject: the first occurrence wins."""
    path = Path(path)
    seen: dict[str, int | None] = {}

    def dedup(n, hint, record, why):
        if record is not None:
            if record["doc_id"] in seen:
                first = seen[record["doc_id"]]
                return n, hint, None, Reason("duplicate_doc_id", f"first on line {first}" if first else "")
            seen[record["doc_id"]] = n
        return n, hint, record, why

    if path.is_dir() or path.suffix.lower() == ".txt":
        for p in sorted(path.glob("*.txt")) if path.is_dir() else [path]:
            record, why = read_txt(p)
            yield dedup(None, printable(p.stem), record, why)
        return
    if path.suffix.lower() == ".parquet":
        for n, obj in enumerate(parquet_rows(path), 1):
            record, why = check_record(obj)
            yield dedup(n, _doc_id_hint(obj), record, why)
        return
    with path.open("rb") as fh:
        for n, raw in enumerate(_lines(fh, settings.MAX_LINE_BYTES), 1):
            if raw is None:
                yield n, None, None, Reason("too_large", f"line over {settings.MAX_LINE_BYTES} bytes")
                continue
            record, why, hint = _parse(raw)
            if record is None and why is None:
                continue
            yield dedup(n, hint, record, why)


def iter_input(path: Path) -> Iterator[Item]:
    """Stream (record, reason) items from a JSONL file, a .txt file or a directory of .txt."""
    for _, _, record, why in iter_numbered(path):
        yield record, why


# ------------------------------------------------------------------ workers
WARM_TEXT = ("Đảng bộ tỉnh Bắc Ninh có 70.592 đảng viên. Thực hiện Chỉ thị 05-CT/TW, các chi bộ "
             "sinh hoạt chuyên đề hằng quý.")


def warm() -> None:
    """Import the extractors, load their reference data and the practice models (cached per
    process), by one short extraction (nlp.extract's path: spaCy only if this process built it)."""
    from nlp.core import extract
    from nlp.practices import models

    models()
    extract(WARM_TEXT, doc_id="warm")


def failure_reason(exc: BaseException) -> Reason:
    """The reject reason of an extraction that raised: ``too_large`` / ``timeout`` over a limit
    of ``nlp.settings``, else ``extract_error:<ExceptionType>`` (the extractor's exception)."""
    from nlp.settings import ExtractLimitError

    if isinstance(exc, ExtractLimitError):
        return Reason(exc.reason, str(exc))
    cause = getattr(exc, "cause_type", None) or type(exc).__name__
    return Reason(f"extract_error:{cause}", str(exc))


def extract_chunk(records: list[dict]) -> list[Item]:
    """Extract each record; a failure becomes a reject reason, never an exception."""
    from nlp.article import FIELDS
    from nlp.core import extract

    out: list[Item] = []
    for r in records:
        try:
            context = {k: r.get(k) for k in FIELDS}
            out.append((extract(r["text"], doc_id=r["doc_id"], **context), None))
        except Exception as exc:  # noqa: BLE001 - counted and reported, never raised
            why = failure_reason(exc)
            log.warning("extraction of %s rejected: %s: %s", printable(r.get("doc_id")), why, why.detail)
            out.append((None, why))
    return out


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    buf: list[Item] = []
    for it in items:
        buf.append(it)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def _run_chunk(chunk: list[Item]) -> list[Item]:
    """Extract the good records of a chunk, keeping skipped ones in place."""
    good = [r for r, _ in chunk if r is not None]
    done = iter(extract_chunk(good)) if good else iter(())
    return [next(done) if r is not None else (None, why) for r, why in chunk]


def open_pool(workers: int):
    """A worker pool, or None for in-process work (workers <= 1).

    The parent warms up first and workers are forked from it, so the pipeline and models are
    built once and shared copy-on-write. Open the pool before starting any thread (progress).
    """
    if workers <= 1:
        return None
    warm()
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    return ctx.Pool(workers, initializer=warm)


def _ordered(pool, chunks: Iterator[list[Item]], limit: int) -> Iterator[Item]:
    """Results of chunks in input order, with at most ``limit`` chunks in flight."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(pool.apply_async(_run_chunk, (chunk,)))
        if len(pending) >= limit:
            yield from pending.popleft().get()
    while pending:
        yield from pending.popleft().get()


def run_items(items: Iterable[Item], workers: int = 2, pool=None,
              chunk_size: int = CHUNK_SIZE) -> Iterator[Item]:
    """(result, None) or (None, reason) per input item, in input order."""
    chunks = _chunks(items, chunk_size)
    limit = max(1, workers * IN_FLIGHT_PER_WORKER)
    if pool is not None:
        yield from _ordered(pool, chunks, limit)
        return
    if workers <= 1:
        for chunk in chunks:
            yield from _run_chunk(chunk)
        return
    with open_pool(workers) as own:
        yield from _ordered(own, chunks, limit)


def extract_results(records: Iterable[dict], workers: int = 2) -> Iterator[Item]:
    """(contract dict, None) or (None, reject reason) for each record, in order, one per record
    (``Reason.detail`` says more): what a caller that pairs results with its records needs."""
    yield from run_items((check_record(r) for r in records), workers=workers)


def extract_records(records: Iterable[dict], workers: int = 2) -> Iterator[dict]:
    """Contract dicts for in-process callers, in order; invalid records and failed extractions
    are logged and skipped (use ``extract_results`` to keep one result per record)."""
    for result, why in extract_results(records, workers=workers):
        if result is None:
            log.warning("record skipped: %s %s", why, getattr(why, "detail", ""))
            continue
        yield result


# ------------------------------------------------------------------ files
def rejects_path(output: Path) -> Path:
    """Where ``extract_file`` writes the rejects of ``output``: ``OUT.rejects.jsonl``."""
    output = Path(output)
    stem = output.name[:-len(".jsonl")] if output.name.endswith(".jsonl") else output.name
    return output.with_name(stem + ".rejects.jsonl")


def check_paths(input: Path, output: Path) -> None:
    """Raise ``ValueError`` (one-line message) when the output cannot be written as asked:
    it is the input (or its rejects file is), or a directory, or its folder is a file.
    A missing output folder is not an error: ``extract_file`` creates it."""
    input, output = Path(input), Path(output)
    out = output.resolve()
    if out.is_dir():
        raise ValueError(f"output is a directory: {output}")
    if input.exists() and (out == input.resolve() or rejects_path(out) == input.resolve()):
        raise ValueError(f"output would overwrite the input: {output}")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ValueError(f"output folder is a file: {parent}")
            break


def _progress(enabled: bool):
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("[bold]extract[/] {task.completed} docs"),
                    TextColumn("{task.fields[skipped]} rejected"), TimeElapsedColumn(),
                    console=Console(stderr=True), disable=not enabled, transient=True)


def _summary(stats: dict, output: Path) -> str:
    skipped = ", ".join(f"{k}={v}" for k, v in sorted(stats["skipped"].items()))
    rejected = sum(stats["skipped"].values())
    where = f"; lines in {stats['rejects']}" if rejected else ""
    counts = " ".join(f"{k}={stats[k]}" for k in COUNTED)
    return (f"extracted {stats['docs']} docs → {output} (rejected {rejected}"
            f"{': ' + skipped if skipped else ''}{where}); {counts}")


def _encoded(obj: dict) -> bytes:
    """One JSONL line; raises ValueError for what strict JSON cannot hold (NaN, Infinity,
    lone surrogates), before anything is written."""
    return (json.dumps(obj, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def extract_file(input: Path, output: Path, workers: int = 2, progress: bool = True) -> dict:
    """Stream ``input`` through the extractor into contract JSONL at ``output``.

    Every input line that is not extracted is a reject: counted per reason and written to
    ``OUT.rejects.jsonl`` (``{"line", "doc_id", "reason", "detail"}``, ``"file"`` for .txt
    input). Both files are written as ``.part`` and renamed at the end, so an interrupted run
    leaves any previous output as it was. The output folder is created if missing.

    Returns ``{"docs", "skipped": {reason: n}, "rejects": path, "entities", "directives",
    "metrics", "practices"}``. Raises ``ValueError`` for an output that would overwrite the
    input (``check_paths``).
    """
    input, output = Path(input), Path(output)
    check_paths(input, output)
    rejects = rejects_path(output)
    stats: dict = {"docs": 0, "skipped": Counter(), "rejects": str(rejects), **{k: 0 for k in COUNTED}}
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".part")
    rtmp = rejects.with_name(rejects.name + ".part")
    meta: deque = deque()

    def items() -> Iterator[Item]:
        for n, hint, record, why in iter_numbered(input):
            meta.append((n, hint if record is None else printable(record["doc_id"])))
            yield record, why

    def reject(fh, why: str, n, doc_id) -> None:
        stats["skipped"][str(why)] += 1
        row = {"line": n, "doc_id": doc_id, "reason": str(why), "detail": getattr(why, "detail", "") or None}
        if n is None:
            row["file"] = printable(Path(input).name if not input.is_dir() else f"{doc_id}.txt")
        fh.write(json.dumps(row, ensure_ascii=True) + "\n")

    pool = open_pool(workers)
    try:
        with pool or nullcontext(), tmp.open("wb") as fh, rtmp.open("w", encoding="utf-8") as rfh, \
                _progress(progress) as bar:
            task = bar.add_task("extract", total=None, skipped=0)
            for result, why in run_items(items(), workers=workers, pool=pool):
                n, doc_id = meta.popleft()
                if result is None:
                    reject(rfh, why, n, doc_id)
                else:
                    try:
                        fh.write(_encoded(result))
                    except ValueError as exc:  # NaN / Infinity / unencodable: not JSON
                        reject(rfh, Reason("unwritable", str(exc)), n, doc_id)
                    else:
                        stats["docs"] += 1
                        for k in COUNTED:
                            stats[k] += len(result.get(k) or [])
                bar.update(task, completed=stats["docs"], skipped=sum(stats["skipped"].values()))
    except BaseException:
        tmp.unlink(missing_ok=True)
        rtmp.unlink(missing_ok=True)
        raise
    tmp.replace(output)
    rtmp.replace(rejects)
    stats["skipped"] = dict(stats["skipped"])
    print(_summary(stats, output), file=sys.stderr)
    return stats
