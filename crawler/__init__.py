"""xdd crawler: Scrapy spiders and item pipelines producing clean article records.

Public API (imported lazily so `import crawler` stays light):
`crawl`, `CrawlOptions`, `CrawlReport`, `reextract`, `parse_article`, `ParseResult`, `load_sources`.
"""
from __future__ import annotations

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["CrawlOptions", "CrawlReport", "ParseResult", "crawl", "load_sources", "parse_article", "reextract"]

_WHERE = {"CrawlOptions": "crawler.run", "crawl": "crawler.run", "CrawlReport": "crawler.report",
          "reextract": "crawler.rebuild", "parse_article": "crawler.parse", "ParseResult": "crawler.parse",
          "load_sources": "crawler.sources"}


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'crawler' has no attribute {name!r}")
