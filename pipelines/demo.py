"""`xdd demo`: serve the bundled demo site, crawl it, extract, load, summarise."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from nlp.resources import REPO_ROOT
from pipelines import db, queries, run, versions
from pipelines.jsonl import read_jsonl
from pipelines.server import serve

DEMO_SITE = REPO_ROOT / "data" / "demo_site"
WORK = REPO_ROOT / "data" / "work"
EXAMPLE_PROVINCE = "Bắc Giang"
EXAMPLE_INDICATOR = "đảng viên"
CATEGORY_PAGES = ("/baocantho/chinh-tri/xay-dung-dang/", "/dangcongsan/xay-dung-dang/",
                  "/baochinhphu/chinh-tri/xay-dung-dang.htm")


@dataclass
class DemoResult:
    crawl: dict = field(default_factory=dict)
    load: dict = field(default_factory=dict)
    totals: dict = field(default_factory=dict)
    skips: dict = field(default_factory=dict)
    by_province: list[dict] = field(default_factory=list)
    counts_before: dict = field(default_factory=dict)
    counts_after: dict = field(default_factory=dict)


def crawl_demo(site: Path, seen: dict, work: Path) -> tuple[dict, list[dict], list[dict]]:
    """Crawl the served demo site with the project's spider; (report, articles, skips)."""
    from crawler.run import CrawlOptions, crawl

    out = work / "articles.jsonl"
    with serve(site) as base:
        report = crawl(CrawlOptions(sitemaps=[f"{base}/sitemap.xml"], feeds=[f"{base}/rss.xml"],
                                    categories=[base + c for c in CATEGORY_PAGES], source="auto", output=out, seen=seen,
                                    raw_dir=work / "raw", polite=True, progress=True))
    skips_path = out.with_suffix(".skips.jsonl")
    skips = list(read_jsonl(skips_path)) if skips_path.exists() else []
    return report.to_dict(), list(read_jsonl(out)), skips


def demo_work_dir(db_path: Path) -> Path:
    """Where the demo keeps its crawl (articles, raw pages): data/work/ beside the default
    knowledge base, else beside the one given (`xdd demo --db X` writes nothing under data/)."""
    db_path = Path(db_path)
    if db_path.resolve() == (REPO_ROOT / "data" / "xdd.duckdb").resolve():
        return WORK
    return db_path.parent / f"{db_path.stem}.work"


def run_demo(db_path: Path, site: Path = DEMO_SITE, work: Path = WORK, workers: int = 2) -> DemoResult:
    if not site.joinpath("sitemap.xml").exists():
        from pipelines.errors import InputError

        raise InputError(f"demo site not found at {site}")
    work.mkdir(parents=True, exist_ok=True)
    result = DemoResult()
    versions.ensure(db_path)          # never opened read-write in place: readers may have it open
    with db.connect(db_path, read_only=True) as con:
        seen = run.seen_from_db(con)
        result.counts_before = db.table_counts(con)
    result.crawl, articles, skips = crawl_demo(site, seen, work)
    pairs = list(run.extract_articles(articles, workers=workers))
    result.load = run.load_records(db_path, pairs, skips, fts=True).to_dict()
    with db.connect(db_path, read_only=True) as con:
        _summarise(con, result)
    return result


def _summarise(con, result: DemoResult) -> None:
    cur = queries.run(con, "summary_totals")
    result.totals = dict(zip([d[0] for d in cur.description], cur.fetchone()))
    result.skips = dict(queries.run(con, "skips_by_reason").fetchall())
    cur = queries.run(con, "summary_by_province")
    cols = [d[0] for d in cur.description]
    result.by_province = [dict(zip(cols, r)) for r in cur.fetchall()]
    result.counts_after = db.table_counts(con)


def example_practices(con, province: str = EXAMPLE_PROVINCE, limit: int = 8) -> list[dict]:
    cur = queries.run(con, "practices_in_province", {"provinces": [province], "provinces_2025": None, "category": None})
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchmany(limit)]


def example_figures(con, indicator: str = EXAMPLE_INDICATOR) -> list[dict]:
    """The latest province total of `indicator` per province (`xdd compare`'s default series)."""
    from pipelines import compare
    from pipelines.series import Series

    return compare.latest_table(con, indicator, series=Series()).to_dicts()


def dump(result: DemoResult) -> str:
    return json.dumps(result.__dict__, ensure_ascii=False, default=str, indent=1)


def web_hint(db_path: Path) -> str:
    """How to open the web interface over the demo's knowledge base (printed at the end of `xdd demo`)."""
    db_arg = "" if Path(db_path) == Path("data/xdd.duckdb") else f" --db {db_path}"
    return (f"web interface: `.venv/bin/xdd serve{db_arg}` (or `xdd demo --serve`), then open "
            f"http://127.0.0.1:8000/ in a browser")


def serve_demo(db_path: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """`xdd demo --serve`: the web interface over the knowledge base just loaded; the demo site's
    articles are served by it too (/demo-site/...), so their source links keep working."""
    from pipelines.web.server import serve_forever

    serve_forever(db_path, host, port)
