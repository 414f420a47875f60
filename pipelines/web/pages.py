"""The page handlers: each reads its parameters (pipelines.web.app.Params), calls the library
functions behind the CLI, and answers HTML, JSON, CSV (tables) or SVG (charts and maps)."""
from __future__ import annotations

from collections import Counter, defaultdict
from urllib.parse import quote

from markupsafe import Markup, escape
from starlette.requests import Request

from pipelines import compare as cmp
from pipelines.documents import citations
from pipelines.practices import (FIELDS as PRACTICE_FIELDS, PracticeFilters, category_name, flat,
                                 practice_records)
from pipelines.search import SearchFilters, find, highlight
from pipelines.series import ANY, MEASURES, SCOPES, UNITS, Series
from pipelines.web import fmt, geo, queries as wq, svg
from pipelines.web.app import (MAX_PAGE, PER_PAGE, BadParam, NotFound, Params, Web, csv_response, json_response,
                               source_href, svg_response)
from pipelines.web.highlight import LEGEND, render_text


def article_href(doc_id: str, anchor: str | None = None) -> str:
    return "/article/" + quote(doc_id, safe="") + (f"#{anchor}" if anchor else "")


def _any(value):
    return None if value in (None, ANY) else value


# ------------------------------------------------------------------ landing page
EXAMPLE_SEARCHES = ("sinh hoạt chi bộ", "kết nạp đảng viên", "chuyển đổi số", "kiểm tra giám sát")


def index(web: Web, request: Request):
    p = Params(request.query_params)
    out = p.format(("html", "json"))
    with web.connect() as con:
        counts = wq.corpus_counts(con)
        indicators = wq.indicators(con, "total", "province", "count", version=web.version())[:5]
        documents = wq.top_documents(con)
        sources = wq.sources(con)
    data = {"counts": counts, "indicators": indicators, "documents": documents, "sources": sources,
            "examples": {"search": [f"/search?q={quote(q)}" for q in EXAMPLE_SEARCHES],
                         "compare": [f"/compare?indicator={quote(i['key'])}" for i in indicators]}}
    if out == "json":
        return json_response(data)
    return web.render(request, "index.html", title="xdd — cơ sở tri thức xây dựng Đảng", example_searches=EXAMPLE_SEARCHES,
                      **data)


# ------------------------------------------------------------------ search
SEARCH_COLUMNS = ["kind", "title", "published", "province", "province_2025", "district", "category", "actor",
                  "sentence", "score", "doc_id", "article", "url"]


def search_page(web: Web, request: Request):
    p = Params(request.query_params)
    out = p.format()
    q = p.text("q", 500) or ""
    category = p.text("category", 60)
    if category:
        category = category_name(category)          # an unknown category: 400
    filters = SearchFilters(province=p.text("province", 80), merged=p.flag("merged"), district=p.text("district", 80),
                            category=category, document=p.text("document", 60), since=p.day("since"),
                            until=p.day("until"), source=p.text("source", 60),
                            kind=p.choice("kind", ("article", "practice")))
    if filters.since and filters.until and filters.since > filters.until:
        raise BadParam("Ngày bắt đầu (since) phải trước ngày kết thúc (until).")
    if filters.merged and not filters.province:
        raise BadParam("Tham số merged chỉ dùng cùng một tỉnh (province).")
    page = p.integer("page", 1, 1, MAX_PAGE)
    results, total, facets = [], 0, {}
    with web.connect() as con:
        if q:
            found = find(con, q, filters, limit=page * PER_PAGE, best=wq.FACET_CAP)
            hits, total, facets = found.hits[(page - 1) * PER_PAGE:], found.total, wq.facets(found)
            results = [_result(h, q, h.extras.get("actor")) for h in hits]
        sources = [s["source"] for s in wq.sources(con, version=web.version())]
    if out == "json":
        return json_response({"query": q, "filters": filters.__dict__, "page": page, "per_page": PER_PAGE,
                              "total": total, "results": [_plain(r) for r in results], "facets": facets})
    if out == "csv":
        return csv_response([_plain(r) for r in results], SEARCH_COLUMNS, "xdd-search.csv")
    pages = min(MAX_PAGE, (total + PER_PAGE - 1) // PER_PAGE)
    return web.render(request, "search.html", title=f"Tìm kiếm: {q}" if q else "Tìm kiếm", q=q, f=filters, page=page,
                      pages=pages, total=total, results=results, facets=facets, sources=sources,
                      year=_year_of(filters))


def _year_of(f: SearchFilters) -> str | None:
    if f.since and f.until and f.since[:4] == f.until[:4] and f.since[5:] == "01-01" and f.until[5:] == "12-31":
        return f.since[:4]
    return None


def _result(h, q: str, actor: str | None) -> dict:
    marked = highlight(h.sentence, q, mark=("\x02", "\x03"))
    html = str(escape(marked)).replace("\x02", "<mark>").replace("\x03", "</mark>")
    return {"kind": h.kind, "title": h.title, "published": h.published, "province": h.province,
            "province_2025": h.province_2025, "district": h.district, "category": h.category,
            "actor": actor if h.kind == "practice" else None, "sentence": h.sentence, "sentence_html": Markup(html),
            "score": h.score, "doc_id": h.doc_id, "start": h.start,
            "article": article_href(h.doc_id, f"p-{h.start}" if h.kind == "practice" else f"s-{h.start}"),
            "url": h.url, "href": source_href(h.url)}


def _plain(r: dict) -> dict:
    return {k: v for k, v in r.items() if k not in ("sentence_html", "href")}


# ------------------------------------------------------------------ article
def article(web: Web, request: Request):
    p = Params(request.query_params)
    out = p.format(("html", "json"))
    doc_id = request.path_params["doc_id"]
    with web.connect() as con:
        art = wq.article(con, doc_id)
        if art is None:
            raise NotFound(f"Không có bài báo mã “{doc_id}” trong cơ sở tri thức.")
        facts = wq.article_facts(con, doc_id)
        copies = wq.copies_of(con, doc_id)
        original = wq.article(con, art["duplicate_of"]) if art["duplicate_of"] else None
        sentences = wq.rows(con.execute('SELECT start, "end" FROM sentence_spans WHERE doc_id = ? ORDER BY start',
                                        [doc_id]))
    if out == "json":
        return json_response({"article": art, "facts": facts, "copies": copies})
    body = render_text(art["text"] or "", facts, [s["start"] for s in sentences])
    return web.render(request, "article.html", title=art["title"] or doc_id, a=art, facts=facts, body=body,
                      legend=LEGEND, copies=copies, original=original, article_href=article_href)


# ------------------------------------------------------------------ compare
COMPARE_COLUMNS = ["province", "province_2025", "period", "value", "unit", "qualifier", "conflict", "measure", "scope",
                   "text", "sentence", "n_values", "periods", "published", "title", "source"]


def compare_page(web: Web, request: Request):
    p = Params(request.query_params)
    out = p.format(("html", "json", "csv", "svg"))
    indicator = p.text("indicator", 100)
    measure = p.choice("measure", MEASURES, "total")
    scope = p.choice("scope", SCOPES, "province")
    unit = p.choice("unit", UNITS, "count")
    period = p.year("period")
    view = p.choice("view", ("table", "chart", "map"), "table")
    history = p.flag("history")
    targets = p.flag("targets")
    geo_level = p.choice("geo", ("old", "2025"), "old")
    series = Series(measure=measure, scope=scope, unit=unit, period=period, targets=targets)
    rows: list[dict] = []
    timeline: list[dict] = []
    with web.connect() as con:
        picker = wq.indicators(con, _any(measure), _any(scope), _any(unit), version=web.version())
        if indicator:
            df = cmp.figures(con, indicator, series=series) if history else cmp.latest_table(con, indicator, series=series)
            rows = df.to_dicts()
            for r in rows:
                r.setdefault("source", r.get("url"))
            urls = sorted({r["source"] for r in rows if r.get("source")})
            docs = dict(con.execute("SELECT url, doc_id FROM articles WHERE url = ANY(?::VARCHAR[])", [urls]).fetchall()) \
                if urls else {}
            for r in rows:
                r["doc_id"] = docs.get(r.get("source"))
            timeline = cmp.years(con, indicator, series)
    label = wq.indicator_label(_key(indicator)) if indicator else ""
    pct = "%" if unit == "percent" else ""
    title = f"{label or indicator} — {fmt.label(fmt.MEASURE_LABELS, measure)}, cấp {fmt.label(fmt.SCOPE_LABELS, scope)}" \
        + (f", năm {period}" if period else "")
    chart = _compare_chart(rows, title, history, pct) if indicator else ""
    marks = _compare_marks(rows, geo_level, unit) if indicator and not history else []
    map_svg = svg.points(marks, title, unit=pct) if indicator and not history else ""
    if out == "json":
        return json_response({"indicator": indicator, "series": series.__dict__, "history": history, "rows": rows,
                              "indicators": picker, "map": marks, "years": timeline})
    if out == "csv":
        return csv_response(rows, COMPARE_COLUMNS + ["doc_id"], "xdd-compare.csv")
    if out == "svg":
        if not indicator:
            raise BadParam("Chọn một chỉ tiêu (indicator) để tải biểu đồ.")
        return svg_response(map_svg if view == "map" and map_svg else chart, f"xdd-compare-{view}.svg")
    return web.render(request, "compare.html", title="So sánh: " + (label or indicator or "chọn chỉ tiêu"),
                      indicator=indicator, label=label, picker=picker, measure=measure, scope=scope, unit=unit,
                      period=period, view=view, history=history, targets=targets, geo_level=geo_level, rows=rows,
                      timeline=timeline,
                      chart=Markup(chart), map_svg=Markup(map_svg), marks=marks, chart_title=title,
                      article_href=article_href, selected_key=_key(indicator))


def _key(indicator: str | None) -> str | None:
    from pipelines.series import indicator_key

    return indicator_key(indicator) if indicator else None


def _compare_chart(rows: list[dict], title: str, history: bool, pct: str) -> str:
    if history:
        series: dict[str, dict[str, float]] = defaultdict(dict)
        for r in rows:
            series[r["province"]][r["period"]] = r["value"]
        return svg.lines({k: sorted(v.items()) for k, v in series.items()}, title)
    return svg.bars([(r["province"], r["value"]) for r in rows], title, unit=pct)


def _compare_marks(rows: list[dict], geo_level: str, unit: str) -> list[dict]:
    """One mark per province: before 2025 at its own centroid; with geo=2025 the provinces merged
    into one are summed (counts) or averaged (percentages) at the new province's centroid."""
    marks = []
    if geo_level == "2025":
        groups: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            groups[r.get("province_2025") or r["province"]].append(r)
        for name, rs in groups.items():
            pt = geo.province(name, after_2025=True)
            values = [r["value"] for r in rs if r["value"] is not None]
            if pt and values:
                value = sum(values) if unit != "percent" else sum(values) / len(values)
                marks.append({"label": name, "lat": pt[0], "lon": pt[1], "value": value,
                              "provinces": [r["province"] for r in rs]})
        return marks
    for r in rows:
        pt = geo.province(r["province"])
        if pt and r["value"] is not None:
            marks.append({"label": r["province"], "lat": pt[0], "lon": pt[1], "value": r["value"],
                          "href": article_href(r["doc_id"]) if r.get("doc_id") else source_href(r.get("source"))})
    return marks


# ------------------------------------------------------------------ documents
DOCUMENT_COLUMNS = ["year", "published", "province", "title", "cited_as", "citations", "bodies", "places", "doc_id", "url"]


def document_page(web: Web, request: Request):
    p = Params(request.query_params)
    out = p.format()
    key = request.path_params["key"].strip()
    if not key or len(key) > 60:
        raise BadParam("Mã văn bản trống hoặc quá dài; ví dụ /document/05-CT/TW.")
    try:
        info, rows = citations(web.db_path, key)
    except Exception as exc:           # noqa: BLE001  (neither cited nor in the catalog: 404)
        from pipelines.errors import DatabaseError, XddError

        if isinstance(exc, XddError) and not isinstance(exc, DatabaseError):
            raise NotFound(f"Văn bản “{key}” không có trong danh mục và chưa được bài nào trích dẫn.") from None
        raise
    by_year = sorted(Counter(str(r["year"]) for r in rows if r.get("year") is not None).items())
    by_province = Counter(r["province"] or "(không rõ)" for r in rows).most_common()
    if out == "json":
        return json_response({"document": info, "citations": rows, "by_year": dict(by_year),
                              "by_province": dict(by_province)})
    if out == "csv":
        return csv_response(rows, DOCUMENT_COLUMNS, "xdd-document.csv")
    chart = svg.columns([(y, n) for y, n in by_year], f"Số bài trích dẫn {info.get('key', key)} theo năm")
    return web.render(request, "document.html", title=f"Văn bản {info.get('key', key)}", info=info, rows=rows,
                      chart=Markup(chart), by_province=by_province, article_href=article_href)


def document_list(web: Web, request: Request):
    p = Params(request.query_params)
    out = p.format(("html", "json", "csv"))
    with web.connect() as con:
        docs = wq.top_documents(con, limit=500)
    if out == "json":
        return json_response(docs)
    if out == "csv":
        return csv_response(docs, ["key", "title", "articles"], "xdd-documents.csv")
    return web.render(request, "documents.html", title="Văn bản được trích dẫn", docs=docs)


# ------------------------------------------------------------------ practices
PRACTICES_PER_PAGE = 25
PRACTICES_MAX = 2000


def practices_page(web: Web, request: Request):
    p = Params(request.query_params)
    out = p.format()
    category = p.text("category", 60)
    filters = PracticeFilters(province=p.text("province", 80), merged=p.flag("merged"), district=p.text("district", 80),
                              commune=p.text("commune", 80), category=category_name(category) if category else None,
                              document=p.text("document", 60), actor=p.text("actor", 120), since=p.day("since"))
    if filters.merged and not filters.province:
        raise BadParam("Tham số merged chỉ dùng cùng một tỉnh (province).")
    page = p.integer("page", 1, 1, MAX_PAGE)
    with web.connect() as con:
        records = practice_records(con, filters, limit=PRACTICES_MAX)
    if out == "json":
        return json_response({"filters": filters.__dict__, "total": len(records), "records": records})
    if out == "csv":
        return csv_response([flat(r) for r in records], list(PRACTICE_FIELDS), "xdd-practices.csv")
    places: dict[tuple, dict] = {}
    by_category = Counter(r["category"] for r in records)
    by_place: dict[str, Counter] = defaultdict(Counter)
    for r in records:
        name = ", ".join(filter(None, [r["commune"], r["district"], r["province"]])) or "(không rõ địa bàn)"
        by_place[name][r["category"]] += 1
        pt, level = geo.place(r["province"], r["district"], r["commune"], r["province_2025"])
        if pt:
            k = (round(pt[0], 4), round(pt[1], 4))
            m = places.setdefault(k, {"label": name, "lat": pt[0], "lon": pt[1], "value": 0, "level": level,
                                      "href": None})
            m["value"] += 1
    place_rows = sorted(({"place": k, "n": sum(c.values()), "categories": c.most_common()} for k, c in by_place.items()),
                        key=lambda r: (-r["n"], r["place"]))
    map_svg = svg.points(list(places.values()), "Nơi có cách làm (số bản ghi)")
    shown = records[(page - 1) * PRACTICES_PER_PAGE: page * PRACTICES_PER_PAGE]
    pages = max(1, (len(records) + PRACTICES_PER_PAGE - 1) // PRACTICES_PER_PAGE)
    return web.render(request, "practices.html", title="Cách làm, mô hình", f=filters, records=shown,
                      total=len(records), page=page, pages=pages, by_category=by_category.most_common(),
                      place_rows=place_rows, map_svg=Markup(map_svg), marks=list(places.values()),
                      article_href=article_href, capped=len(records) >= PRACTICES_MAX)
