"""Subprocess entry point: `python -m crawler.runner OPTIONS.json` runs one Scrapy crawl.

Scrapy's reactor cannot restart in one process, so `crawler.run.crawl` runs each crawl here
and reads back the report JSON written to `options["report_path"]`.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from crawler.sources import is_loopback, load_sources


def _all_loopback(opts: dict) -> bool:
    seeds = [u for k in ("urls", "sitemaps", "feeds", "categories") for u in opts.get(k) or []]
    return bool(seeds) and all(is_loopback(urlsplit(u).hostname) for u in seeds)


def build_settings(opts: dict):
    """Scrapy Settings for these options (polite defaults; relaxed for loopback / polite=False)."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    opts = {**opts, "source_names": sorted(load_sources())}
    relaxed = not opts.get("polite", True) or _all_loopback(opts)
    overrides = {
        "XDD_OPTIONS": opts, "XDD_PROGRESS": bool(opts.get("progress")),
        "XDD_POLITE": bool(opts.get("polite", True)),
        "DOWNLOAD_TIMEOUT": float(opts.get("download_timeout") or 30),
    }
    if relaxed:
        # No delays; a few connections per host: more buys nothing on one core and overflows
        # the listen backlog (5) of Python's http.server, whose dropped SYNs cost ~1 s each.
        overrides.update(DOWNLOAD_DELAY=0, AUTOTHROTTLE_ENABLED=False,
                         CONCURRENT_REQUESTS_PER_DOMAIN=4, CONCURRENT_REQUESTS=16)
    if opts.get("jobdir"):
        overrides["JOBDIR"] = str(opts["jobdir"])
    overrides.update(opts.get("settings") or {})
    settings.setdict(overrides, priority="cmdline")
    return settings


def run(opts: dict) -> dict:
    """Run one crawl in this process and return the report dict."""
    from scrapy.crawler import CrawlerProcess

    from crawler.report import from_stats
    from crawler.spiders.news import NewsSpider

    started = time.monotonic()
    process = CrawlerProcess(build_settings(opts))
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, options=opts)
    process.start()
    stats = crawler.stats.get_stats()
    report = from_stats(stats)
    _health(report, stats, opts)
    report.politeness = _politeness(stats)
    report.output = str(opts["output"])
    report.skips_path = str(Path(opts["output"]).with_suffix(".skips.jsonl"))
    report.elapsed_s = round(time.monotonic() - started, 3)
    return report.to_dict()


def _health(report, stats: dict, opts: dict) -> None:
    from crawler.health import health_of, health_path, load_previous, warnings_of
    from crawler.sources import get_source

    names = {k.split("/")[2] for k in stats if k.startswith("xdd/source/") and "/health/" in k}
    configured = {}
    for name in names:
        src = get_source(name)
        configured[name] = tuple(f for f, qs in src.selectors.items() if qs) if src else ()
    report.health = health_of(stats, configured)
    report.warnings = warnings_of(report.health, load_previous(opts["output"]))
    if report.health:
        previous = load_previous(opts["output"])
        health_path(opts["output"]).write_text(json.dumps({**previous, **report.health}, ensure_ascii=False),
                                               encoding="utf-8")


def _politeness(stats: dict) -> dict:
    out: dict[str, dict] = {}
    for key, value in stats.items():
        if key.startswith("xdd/politeness/") and key.count("/") >= 3:
            _, _, what, host = key.split("/", 3)
            out.setdefault(host, {})[what] = value
    return out


def main(argv: list[str] | None = None) -> int:
    """Read OPTIONS.json, crawl, write the report JSON."""
    argv = sys.argv[1:] if argv is None else argv
    opts = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    report = run(opts)
    Path(opts["report_path"]).write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
