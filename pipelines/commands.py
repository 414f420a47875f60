"""The `xdd` commands. Each parses options, calls one library function, prints the result."""
from __future__ import annotations

import json
from pathlib import Path

import click

from pipelines.cli import DB_OPTION, main
from pipelines.series import MEASURES, SCOPES, UNITS
from pipelines.errors import InputError, XddError
from pipelines.output import emit, format_option


# ------------------------------------------------------------------ crawl
@main.command()
@click.option("--source", default="auto", show_default=True,
              help="Source config name (see `xdd sources`), 'auto' (by host), or 'generic' (trafilatura).")
@click.option("--url", "urls", multiple=True, help="Article URL, parsed as an article whatever its path and "
                                                    "fetched even when the knowledge base has it (repeatable).")
@click.option("--urls-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file of article URLs, one a line (treated like --url).")
@click.option("--sitemap", "sitemaps", multiple=True, help="Sitemap URL (repeatable).")
@click.option("--feed", "feeds", multiple=True, help="RSS/Atom feed URL (repeatable).")
@click.option("--category", "categories", multiple=True, help="Category page URL, paginated (repeatable).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("data/work/articles.jsonl"),
              show_default=True, help="Articles JSONL (skips go beside it as .skips.jsonl).")
@click.option("--since", help="Only sitemap/feed entries on or after this date (YYYY-MM-DD).")
@click.option("--raw-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data/raw"), show_default=True)
@click.option("--jobdir", type=click.Path(file_okay=False, path_type=Path), help="Resumable crawl state directory.")
@click.option("--max-pages", type=int, help="Stop after this many pages.")
@click.option("--full", is_flag=True, help="Ignore what the knowledge base has seen (no incremental skip).")
@click.option("--frontier", metavar="redis://HOST:PORT/DB",
              help="Share the request queue and dupefilter with other crawler processes through this Redis "
                   "server (scrapy-redis): started with the same URL and key, they split one crawl.")
@click.option("--frontier-key", default="xdd", show_default=True,
              help="Name of the shared crawl in Redis (one per crawl run at a time).")
@DB_OPTION
def crawl(source, urls, urls_file, sitemaps, feeds, categories, output, since, raw_dir, jobdir, max_pages, full,
          frontier, frontier_key, db_path):
    """Crawl sites into an articles JSONL file (incremental against the knowledge base).

    \b
    xdd crawl --source nhandan                       # the source's own sitemaps/feeds/categories
    xdd crawl --source baocantho --url https://baocantho.com.vn/...-a196670.html
    xdd crawl --sitemap https://example.vn/sitemap.xml --source generic
    xdd crawl --source baodongnai                    # any outlet of outlets.csv: generic mode, robots/sitemap/RSS
    xdd crawl --source nhandan --frontier redis://crawl-redis:6379/0 --output a.jsonl   # on each crawler machine
    """
    from pipelines.crawling import crawl_to_file

    if urls_file:
        urls = [*urls, *(u.strip() for u in urls_file.read_text(encoding="utf-8").splitlines()
                         if u.strip() and not u.lstrip().startswith("#"))]
    report = crawl_to_file(source=source, urls=list(urls), sitemaps=list(sitemaps), feeds=list(feeds),
                           categories=list(categories), output=output, since=since, raw_dir=raw_dir,
                           jobdir=jobdir, max_pages=max_pages, db_path=None if full else db_path,
                           frontier=frontier, frontier_key=frontier_key)
    click.echo(json.dumps(report, ensure_ascii=False))


@main.command()
@click.argument("name", required=False)
@click.option("--check", is_flag=True, help="Crawl each source's listings and a few articles; report discovery "
                                            "and selector health (needs the network).")
@click.option("--configured", is_flag=True, help="Only configured sources (not every outlet in generic mode).")
@click.option("--articles", type=int, default=3, show_default=True, help="Articles per source for --check.")
@format_option
def sources(name, check, configured, articles, fmt):
    """List the configured sources and the outlets crawlable by name in generic mode, with their
    province; `--check [NAME]` fetches listings and a few articles and reports selector health."""
    from pipelines.crawling import check_sources, list_sources

    if check:
        result = check_sources(name, articles=articles)
        if fmt == "json":
            click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        else:
            rows = [{**r, "hit_rate": " ".join(f"{k} {v:.0%}" for k, v in sorted(r["hit_rate"].items())),
                     "fallback_rate": " ".join(f"{k} {v:.0%}" for k, v in sorted(r["fallback_rate"].items()) if v)}
                    for r in result["sources"]]
            emit(rows, fmt, ["name", "status", "fetched", "kept", "skipped", "hit_rate", "fallback_rate"])
            for w in result["warnings"]:
                click.echo(f"warning: {w}", err=True)
        return
    rows = [r for r in list_sources(generic=not configured) if not name or r["name"] == name]
    emit(rows, fmt, ["name", "kind", "domains", "province", "province_2025", "discovery", "article_id", "min_delay"])


@main.command()
@click.option("--raw-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data/raw"), show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("data/work/articles.jsonl"),
              show_default=True)
def reextract(raw_dir, output):
    """Rebuild articles from stored raw HTML without re-crawling."""
    from pipelines.crawling import reextract_to_file

    click.echo(json.dumps(reextract_to_file(raw_dir, output), ensure_ascii=False))


# ------------------------------------------------------------------ extract / show
@main.command()
@click.option("--input", "input_path", required=True, type=click.Path(path_type=Path),
              help="JSONL with {doc_id, text, url?, source?, title?, lead?, published?}, a Parquet file "
                   "with those columns, a .txt file, or a directory of .txt files; with --engine dask: "
                   "a folder of .jsonl and/or .parquet shards.")
@click.option("--output", required=True, type=click.Path(path_type=Path),
              help="Contract JSONL (its folder is created if missing); lines not extracted go to "
                   "OUT.rejects.jsonl beside it. With --engine dask: a folder, one output shard "
                   "(+ rejects, + manifest) per input shard.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Worker processes (--engine dask: of the local cluster, when no --scheduler).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: a multiprocessing pool on this machine; dask: one task per shard on a Dask "
                   "distributed cluster (finished shards are not redone, failed ones retried).")
@click.option("--scheduler", metavar="ADDRESS",
              help="--engine dask: address of an existing cluster's scheduler (tcp://host:8786); "
                   "without it a local cluster of --workers processes is started and stopped.")
@click.option("--retries", type=click.IntRange(0, 20), default=2, show_default=True,
              help="--engine dask: resubmissions of a shard whose task raised (a lost worker's task "
                   "is rescheduled by the scheduler anyway).")
def extract(input_path, output, workers, engine, scheduler, retries):
    """Extract bodies, places, documents, figures and practices (extraction contract v2).

    Every input line that is not extracted (bad JSON or UTF-8, a missing field, a duplicate
    doc_id, a document over the limits of nlp/settings.py, an extractor error) is a reject:
    counted per reason in the summary and written with its line number to OUT.rejects.jsonl.

    \b
    xdd extract --input data/work/articles.jsonl --output data/work/extractions.jsonl
    xdd extract --engine dask --input shards/ --output extracted/ --workers 2   # *.jsonl, *.parquet
    xdd extract --engine dask --scheduler tcp://scheduler-host:8786 --input /shared/in --output /shared/out
    """
    if engine != "local":
        return _extract_distributed(input_path, output, workers, engine, scheduler, retries)
    if scheduler:
        raise click.BadParameter("only with --engine dask", param_hint="'--scheduler'")
    if output.is_dir():   # as click's dir_okay=False said before --engine existed
        raise click.BadParameter(f"File {str(output)!r} is a directory.", param_hint="'--output'")
    from nlp.batch import ParquetError, check_parquet, check_paths, extract_file

    _check_extract_paths(input_path, output, check_paths)
    try:
        if input_path.is_file() and input_path.suffix.lower() == ".parquet":
            check_parquet(input_path)       # before the progress display starts
        if input_path.is_file() and input_path.stat().st_size < SMALL_INPUT:
            workers = 1                     # a few articles: starting worker processes costs more
        counts = extract_file(input_path, output, workers=workers)
    except OSError as exc:
        raise InputError(f"cannot read or write {exc.filename or input_path}: {exc.strerror or exc}") from None
    except ParquetError as exc:
        raise InputError(str(exc)) from None
    click.echo(json.dumps(counts, ensure_ascii=False), err=True)


# bytes: `xdd extract` extracts an input file this small in its own process (the same output)
SMALL_INPUT = 32 * 1024


def _extract_distributed(input_path: Path, output: Path, workers: int, engine: str, scheduler: str | None,
                         retries: int) -> None:
    """`xdd extract --engine dask`: shards of a folder on a Dask cluster (nlp/engines.py)."""
    from nlp.engines import check_dirs, extract_shards

    if not input_path.exists():
        raise InputError(f"no such file or directory: {input_path}")
    try:
        check_dirs(input_path, output)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    try:
        summary = extract_shards(input_path, output, engine=engine, scheduler=scheduler, workers=workers,
                                 retries=retries)
    except OSError as exc:
        raise InputError(f"cannot read or write {exc.filename or input_path}: {exc.strerror or exc}") from None
    summary.pop("results", None)
    click.echo(json.dumps(summary, ensure_ascii=False), err=True)
    if summary["failed"]:
        raise XddError(f"{len(summary['failed'])} of {summary['shards']} shards failed: "
                       + ", ".join(f["shard"] for f in summary["failed"]))


def _check_extract_paths(input_path: Path, output: Path, check_paths) -> None:
    """The input exists and is readable, the output can be written: else one-line errors."""
    if not input_path.exists():
        raise InputError(f"no such file or directory: {input_path}")
    if input_path.is_file():
        try:
            input_path.open("rb").close()
        except OSError as exc:
            raise InputError(f"cannot read {input_path}: {exc.strerror or exc}") from None
    try:
        check_paths(input_path, output)
    except ValueError as exc:
        raise InputError(str(exc)) from None


@main.command()
@click.argument("doc")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="Write a displaCy page here.")
@DB_OPTION
def show(doc, html_path, db_path):
    """Show one document's extraction (DOC is a doc_id or URL in the knowledge base, or a .txt file)."""
    from pipelines.documents import show_document

    text, extraction = show_document(db_path, doc)
    if html_path:
        from nlp.render import render_html

        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(render_html(text, extraction), encoding="utf-8")
        click.echo(f"wrote {html_path}")
    else:
        click.echo(json.dumps(extraction, ensure_ascii=False, indent=1))


# ------------------------------------------------------------------ load
@main.command()
@click.argument("articles", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--extractions", type=click.Path(dir_okay=False, path_type=Path),
              help="Contract JSONL from `xdd extract`; without it the articles are extracted now.")
@click.option("--no-extract", is_flag=True, help="Load the articles without facts.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--fts", is_flag=True, help="Also build DuckDB's FTS index (match_bm25); kept current from then on.")
@DB_OPTION
def load(articles, extractions, no_extract, workers, fts, db_path):
    """Load crawled articles and their extractions into DuckDB (idempotent, incremental) and
    bring the search index beside it in step (what was added, changed or removed)."""
    from pipelines.run import load_files

    report = load_files(db_path, articles, extractions, extract=not no_extract, workers=workers, fts=fts)
    click.echo(report.summary())


@main.command()
@click.option("--fts/--no-fts", default=None,
              help="Build (or drop) DuckDB's FTS index as well; by default it is kept as it is.")
@click.option("--optimize", is_flag=True,
              help="Compact instead of rebuilding: sort the figure index if loads appended to it, rebuild "
                   "the search index only if it holds deleted documents; nothing is written when all is compact.")
@DB_OPTION
def index(fts, optimize, db_path):
    """Rebuild the derived tables (the figure index) and the search index (`data/xdd.index`
    beside the database) from the database, e.g. after an interrupted load; with --optimize,
    compact them (e.g. weekly, after many daily loads).

    \b
    xdd index
    xdd index --optimize
    """
    if optimize:
        if fts is not None:
            raise click.BadParameter("not with --optimize (which keeps DuckDB's FTS index as it is)",
                                     param_hint="'--fts/--no-fts'")
        from pipelines.run import optimize as compact

        done = compact(db_path)
        click.echo(optimize_summary(done))
        return
    from pipelines.run import reindex

    sizes = reindex(db_path, fts)
    click.echo("index: " + ", ".join(f"{n} {t}" for t, n in sizes.items()))


def optimize_summary(done: dict) -> str:
    """The one line `xdd index --optimize` prints."""
    if not done["written"]:
        return "optimize: already compact, nothing written"
    figures = {"rebuilt": "figure index rebuilt", "update": "figure index brought up to date",
               0: "figure index already sorted"}.get(done["figures"], f"figure index sorted ({done['figures']} appended rows)")
    before, after = done["segments"]
    search = ("search index rebuilt" if done["search"] == "rebuilt" else
              f"search index rebuilt without its {done['search']} deleted documents" if done["search"] else
              "search index already compact")
    if done["search"]:
        search += f" ({before} segments -> {after})"
    return f"optimize: {figures}; {search}"


# ------------------------------------------------------------------ query
@main.command()
@click.argument("query")
@click.option("--province", help="Province or centrally-run city (old or post-2025 name).")
@click.option("--merged", is_flag=True, help="With --province: include the provinces merged into it in 2025.")
@click.option("--district", help="District (quận/huyện/thị xã) named in the article.")
@click.option("--category", help="Practice category, e.g. sinh_hoat_chi_bo.")
@click.option("--document", help="Cited document key, e.g. 05-CT/TW.")
@click.option("--since", help="Published on or after (YYYY-MM-DD).")
@click.option("--until", help="Published on or before (YYYY-MM-DD).")
@click.option("--source", help="Source name.")
@click.option("--kind", type=click.Choice(["article", "practice"]), help="Only articles or only practices.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@format_option
@DB_OPTION
def search(query, province, merged, district, category, document, since, until, source, kind, limit, fmt, db_path):
    """Full-text search of articles and practices (BM25, tone-insensitive).

    \b
    xdd search "sinh hoạt chi bộ"
    xdd search "sinh hoat chi bo" --province "Bắc Ninh" --merged --kind practice
    """
    from pipelines.search import SearchFilters, search as run_search
    from pipelines.versions import reading

    filters = SearchFilters(province=province, merged=merged, district=district, category=category,
                            document=document, since=_date(since), until=_date(until), source=source, kind=kind)
    # once more with a fresh connection if a load published twice meanwhile (pipelines.versions)
    hits = reading(db_path, lambda con: run_search(con, query, filters, limit=limit))
    rows = [h.__dict__ for h in hits]
    if fmt == "table":
        for r in rows:
            r["place"] = ", ".join(filter(None, [r["district"], r["province"]]))
            r["date"] = (r["published"] or "")[:10]
            r["match"] = r["highlighted"]
    emit(rows, fmt, ["kind", "title", "date", "place", "category", "match", "url"] if fmt == "table" else None,
         title=f"{len(rows)} results for {query!r}")


@main.command()
@click.option("--province", help="Province or centrally-run city as reported (old or post-2025 name).")
@click.option("--merged", is_flag=True, help="With --province: also the former provinces merged into it in 2025.")
@click.option("--district", help="District (huyện/quận/thị xã/thành phố), words of its name, accents optional.")
@click.option("--commune", help="Commune (xã/phường/thị trấn), words of its name, accents optional.")
@click.option("--category", help="Practice category, e.g. sinh_hoat_chi_bo.")
@click.option("--document", help="Key of a document the practice carries out, e.g. 05-CT/TW.")
@click.option("--actor", help="Words of the party body that adopted it, e.g. 'Huyện ủy Lục Ngạn'.")
@click.option("--since", help="Reported on or after (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1, 100000), default=20, show_default=True)
@format_option
@DB_OPTION
def practices(province, merged, district, commune, category, document, actor, since, limit, fmt, db_path):
    """Practice records: who adopted a way of working, where (commune, district, province), to
    carry out which documents, with what outcome and when, with the passage and every source
    that reported it (one record for a syndicated practice).

    \b
    xdd practices --province "Bắc Ninh" --merged --category sinh_hoat_chi_bo
    xdd practices --commune "phong minh" --document 05-CT/TW --format json
    """
    from pipelines import db
    from pipelines.practices import FIELDS, TABLE_COLUMNS, PracticeFilters, flat, practice_records, table_row

    filters = PracticeFilters(province=province, merged=merged, district=district, commune=commune,
                              category=category, document=document, actor=actor, since=_date(since))
    with db.connect(db_path, read_only=True) as con:
        rows = practice_records(con, filters, limit=limit)
    if fmt == "table":
        emit([table_row(r) for r in rows], fmt, TABLE_COLUMNS, title=f"{len(rows)} practices")
    else:
        emit(rows if fmt == "json" else [flat(r) for r in rows], fmt, list(FIELDS))


@main.command()
@click.argument("indicator")
@click.option("--measure", type=click.Choice(MEASURES), default="total", show_default=True,
              help="What kind of figure: totals (a stock), new admissions/foundations, inspections, discipline, "
                   "ratings, training, awards, other; 'all': any.")
@click.option("--scope", type=click.Choice(SCOPES), default="province", show_default=True,
              help="Level of the unit the figure is about ('all': any level, or none).")
@click.option("--unit", type=click.Choice(UNITS), default="count", show_default=True,
              help="Counts or percentages ('all': both).")
@click.option("--period", "period", metavar="YEAR",
              help="Only figures of that year (with several, the latest in it); terms such as 2020-2025 are not.")
@click.option("--targets", is_flag=True, help="Also figures the text gives as targets (phấn đấu, chỉ tiêu).")
@click.option("--history", is_flag=True, help="Every value over time instead of the latest per province.")
@click.option("--per", "per", help="Divide by another indicator (e.g. --per 'chi bộ').")
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path), help="Draw the latest values as a PNG.")
@format_option
@DB_OPTION
def compare(indicator, measure, scope, unit, period, targets, history, per, chart, fmt, db_path):
    """Compare provinces' figures of one series: an indicator (e.g. "đảng viên"), a measure, a
    scope and a unit; by default the province totals of counts.

    \b
    xdd compare "đảng viên"                                  # members per province, latest figure
    xdd compare "đảng viên" --measure new --period 2023      # admissions per province in 2023
    xdd compare "đảng viên" --scope district --history
    xdd compare "đảng viên" --per "chi bộ"
    xdd compare "tổ chức cơ sở đảng" --measure rated --unit percent --chart out.png
    """
    from pipelines import compare as cmp, db
    from pipelines.series import Series, year

    series = Series(measure=measure, scope=scope, unit=unit, period=year(period), targets=targets)
    with db.connect(db_path, read_only=True) as con:
        if per:
            df = cmp.ratio(con, indicator, per, series=series)
        elif history:
            df = cmp.figures(con, indicator, series=series)
        else:
            df = cmp.latest_table(con, indicator, series=series)
    if chart and not df.is_empty() and not history:
        Path(chart).parent.mkdir(parents=True, exist_ok=True)     # as extract does: folders are made
        cmp.chart(df if not per else df.drop("value").rename({"ratio": "value"}), str(chart), indicator)
    cols = None
    if fmt == "table" and not df.is_empty():
        cols = [c for c in ("province", "province_2025", "period", "value", "value_den", "ratio", "unit", "qualifier",
                            "conflict", "n_values", "subject", "sentence", "source", "url", "url_den") if c in df.columns]
    emit(df.to_dicts(), fmt, cols, title=f"{indicator} ({_series_title(series)}): {df.height} rows")


def _series_title(series) -> str:
    parts = [f"measure {series.measure}", f"scope {series.scope}", f"unit {series.unit}"]
    return ", ".join(parts + ([f"period {series.period}"] if series.period else []))


@main.command()
@click.argument("key")
@format_option
@DB_OPTION
def document(key, fmt, db_path):
    """Articles, bodies and places citing one document, by year (e.g. 05-CT/TW)."""
    from pipelines.documents import citations

    info, rows = citations(db_path, key)
    title = f"{info.get('key', key)}: {info.get('title') or ''} ({len(rows)} articles)"
    emit(rows, fmt, ["year", "published", "province", "title", "cited_as", "bodies", "places", "url"]
         if fmt == "table" else None, title=title)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet", show_default=True)
@DB_OPTION
def export(directory, fmt, db_path):
    """Write every table to DIRECTORY as Parquet or CSV."""
    from pipelines.documents import export_tables

    for name, n in export_tables(db_path, directory, fmt).items():
        click.echo(f"{name}: {n} rows")


@main.command()
@click.option("--provinces", is_flag=True, help="Counts per province.")
@format_option
@DB_OPTION
def stats(provinces, fmt, db_path):
    """Table counts of the knowledge base (or counts per province)."""
    from pipelines.documents import stats as get_stats

    rows = get_stats(db_path, provinces)
    emit(rows, fmt)


# ------------------------------------------------------------------ demo
@main.command()
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--serve", "serve_web", is_flag=True, help="Then serve the web interface (as `xdd serve`) until Ctrl+C.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="With --serve: its port.")
@DB_OPTION
def demo(workers, serve_web, port, db_path):
    """Serve the bundled demo site, crawl it, extract, load DuckDB and print a summary."""
    from pipelines.demo import demo_work_dir, run_demo, serve_demo, web_hint
    from pipelines.summary import print_demo

    if serve_web:
        from pipelines.web.server import check_port

        check_port("127.0.0.1", port)
    print_demo(run_demo(db_path, work=demo_work_dir(db_path), workers=workers), db_path)
    if serve_web:
        serve_demo(db_path, port=port)
    else:
        click.echo(web_hint(db_path))


# ------------------------------------------------------------------ web
@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@DB_OPTION
def serve(host, port, db_path):
    """Serve the read-only web interface: search with facets, articles with their facts
    highlighted, provinces compared as a table, chart or map, documents, practices; every page
    also as JSON (format=json) and tables as CSV (format=csv).

    \b
    xdd serve                        # http://127.0.0.1:8000/
    xdd serve --db data/other.duckdb --port 8080
    """
    from pipelines.web.server import serve_forever

    if not db_path.exists():
        raise XddError(f"no knowledge base at {db_path}: run `xdd demo` or `xdd load` first")
    serve_forever(db_path, host, port, echo=click.echo)


def _date(value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise XddError(f"not a date (YYYY-MM-DD): {value!r}") from None
