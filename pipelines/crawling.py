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
                  db_path: Path | None) -> dict:
    from crawler.run import CrawlOptions, crawl
    from crawler.sources import load_sources

    name = None if source == "generic" else source
    if name not in (None, "auto") and name not in load_sources():
        raise XddError(f"unknown source: {source!r} (see `xdd sources`)")
    if not (urls or sitemaps or feeds or categories) and name in (None, "auto"):
        raise XddError("nothing to crawl: give --source NAME, or --url/--sitemap/--feed/--category")
    opts = CrawlOptions(urls=urls, sitemaps=sitemaps, feeds=feeds, categories=categories, source=name,
                        output=output, seen=_seen(db_path), since=since, raw_dir=raw_dir, jobdir=jobdir,
                        max_pages=max_pages, progress=True)
    return crawl(opts).to_dict()


def list_sources() -> list[dict]:
    from crawler.sources import load_sources

    rows = []
    for name, cfg in sorted(load_sources().items()):
        get = cfg.get if isinstance(cfg, dict) else lambda k, d=None: getattr(cfg, k, d)
        discovery = [k for k in ("sitemaps", "feeds", "categories") if get(k)]
        rows.append({"name": name, "domains": ", ".join(get("domains") or []), "discovery": ", ".join(discovery),
                     "article_id": get("article_id"), "min_delay": get("min_delay")})
    return rows


def reextract_to_file(raw_dir: Path, output: Path) -> dict:
    from crawler import reextract

    if not Path(raw_dir).exists():
        raise XddError(f"no raw HTML store at {raw_dir}")
    report = reextract(raw_dir, output)
    return report.to_dict() if hasattr(report, "to_dict") else report
