"""Crawler wiring for the CLI: options from flags, `seen` from the knowledge base."""
from __future__ import annotations

from pathlib import Path

from pipelines import db, run
from pipelines.errors import XddError


def _seen(db_path: Path | None) -> dict:
    if db_path is None or not Path(db_path).exists():
        return {}
    with db.connect(db_path, read_only=True) as con:
        return run.seen_from_db(con)


def crawl_to_file(source: str, urls: list[str], sitemaps: list[str], feeds: list[str], categories: list[str],
                  output: Path, since: str | None, raw_dir: Path, jobdir: Path | None, max_pages: int | None,
                  db_path: Path | None, frontier: str | None = None, frontier_key: str = "xdd") -> dict:
    from crawler.run import CrawlOptions, crawl
    from crawler.sources import get_source

    settings = {}
    if frontier:   # a crawl frontier shared with other crawler processes (crawler/frontier.py)
        from crawler.frontier import frontier_settings

        try:
            settings = frontier_settings(frontier, frontier_key)
        except ValueError as exc:
            raise XddError(str(exc)) from None

    name = None if source == "generic" else source
    if name not in (None, "auto") and get_source(name) is None:
        raise XddError(f"unknown source: {source!r} (see `xdd sources`)")
    if not (urls or sitemaps or feeds or categories) and name in (None, "auto"):
        raise XddError("nothing to crawl: give --source NAME, or --url/--sitemap/--feed/--category")
    opts = CrawlOptions(urls=urls, sitemaps=sitemaps, feeds=feeds, categories=categories, source=name,
                        output=output, seen=_seen(db_path), since=since, raw_dir=raw_dir, jobdir=jobdir,
                        max_pages=max_pages, progress=True, settings=settings)
    return crawl(opts).to_dict()


def list_sources(generic: bool = True) -> list[dict]:
    """Configured sources, then (with `generic`) every outlet of outlets.csv crawlable by name in
    generic mode; each with its province (as named before and after the 2025 merger)."""
    from crawler.sources import generic_source, load_sources, outlet_rows

    rows = []
    configured = load_sources()
    for name, cfg in sorted(configured.items()):
        discovery = [k for k in ("sitemaps", "feeds", "categories") if getattr(cfg, k)]
        if cfg.robots_sitemaps:
            discovery.insert(0, "robots")
        rows.append({"name": name, "kind": "configured", "label": cfg.label, "domains": ", ".join(cfg.domains),
                     **_province(cfg), "discovery": ", ".join(discovery), "article_id": cfg.article_id,
                     "min_delay": cfg.min_delay})
    if generic:
        hosts = {d for cfg in configured.values() for d in cfg.domains}
        for name, outlet in sorted(outlet_rows().items()):
            if name in configured or outlet.host in hosts:
                continue
            cfg = generic_source(name)
            rows.append({"name": name, "kind": "generic", "label": outlet.name, "domains": outlet.host,
                         **_province(cfg), "discovery": "robots, sitemap.xml, rss",
                         "article_id": "generic", "min_delay": cfg.min_delay})
    return rows


def _province(cfg) -> dict:
    from crawler.records import outlet_fields

    return outlet_fields(cfg, f"https://{cfg.domains[0]}/") if cfg.domains else {"province": None, "province_2025": None}


def check_sources(name: str | None, work_dir: Path | None = None, articles: int = 3) -> dict:
    """`xdd sources --check`: per source, crawl its listings and a few articles; report discovery,
    kept/skipped, selector hit rates and drift warnings."""
    from crawler.run import CrawlOptions, crawl
    from crawler.sources import get_source, load_sources
    import tempfile

    names = [name] if name else sorted(load_sources())
    if name and get_source(name) is None:
        raise XddError(f"unknown source: {name!r} (see `xdd sources`)")
    rows, warnings = [], []
    with tempfile.TemporaryDirectory(prefix="xdd-check-") as tmp:
        base = Path(work_dir or tmp)
        for n in names:
            report = crawl(CrawlOptions(source=n, output=base / f"{n}.jsonl", raw_dir=None, max_pages=articles,
                                        progress=False))
            h = report.health.get(n, {})
            listings = sum(v for k, v in report.skipped.items() if k.startswith("http_"))
            rows.append({"name": n, "fetched": report.fetched, "kept": report.kept,
                         "skipped": sum(report.skipped.values()), "pages": h.get("pages", 0),
                         "hit_rate": h.get("hit_rate", {}), "fallback_rate": h.get("fallback_rate", {}),
                         "http_errors": listings,
                         "status": "ok" if report.fetched and not report.warnings else
                                   ("no articles found" if not report.fetched else "drift")})
            warnings.extend(report.warnings)
    return {"sources": rows, "warnings": warnings}


def reextract_to_file(raw_dir: Path, output: Path) -> dict:
    from crawler import reextract

    if not Path(raw_dir).exists():
        raise XddError(f"no raw HTML store at {raw_dir}")
    report = reextract(raw_dir, output)
    return report.to_dict() if hasattr(report, "to_dict") else report
