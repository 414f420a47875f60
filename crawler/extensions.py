"""Crawl extensions: the skip log (`<output>.skips.jsonl`) and a rich progress line on stderr."""
from __future__ import annotations

import json
from pathlib import Path

from scrapy import signals
from scrapy.logformatter import LogFormatter

from crawler.skips import Skip


class SkipLog:
    """Writes every `Skip` drop as `{url, reason, detail}` and counts it per reason and source."""

    def __init__(self, crawler):
        self.stats = crawler.stats
        opts = crawler.settings.getdict("XDD_OPTIONS")
        out = Path(opts["output"])
        self.path = out.with_suffix(".skips.jsonl")
        mode = "a" if opts.get("jobdir") and self.path.exists() else "w"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = self.path.open(mode, encoding="utf-8")
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def item_dropped(self, item, response, exception, spider=None) -> None:
        reason = exception.reason if isinstance(exception, Skip) else "dropped"
        detail = exception.detail if isinstance(exception, Skip) else str(exception)
        source = item.get("source") if isinstance(item, dict) else None
        self.stats.inc_value(f"xdd/skipped/{reason}")
        self.stats.inc_value(f"xdd/source/{source or 'generic'}/skipped/{reason}")
        row = {"url": item.get("url") if isinstance(item, dict) else None, "reason": reason,
               "detail": detail, "source": source}
        self.fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.fh.flush()

    def spider_closed(self, spider=None) -> None:
        self.fh.close()


class Progress:
    """A live rich status line on stderr: fetched / kept / skipped."""

    def __init__(self, crawler):
        from rich.console import Console

        self.stats = crawler.stats
        self.console = Console(stderr=True)
        self.status = None
        for handler, sig in ((self.opened, signals.spider_opened), (self.update, signals.response_received),
                             (self.update, signals.item_scraped), (self.update, signals.item_dropped),
                             (self.closed, signals.spider_closed)):
            crawler.signals.connect(handler, signal=sig)

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("XDD_PROGRESS"):
            raise NotConfigured
        return cls(crawler)

    def _line(self) -> str:
        s = self.stats.get_stats()
        skipped = sum(v for k, v in s.items() if k.startswith("xdd/skipped/"))
        return (f"crawling: {s.get('downloader/response_count', 0)} responses, "
                f"{s.get('xdd/fetched', 0)} articles fetched, {s.get('xdd/writer/written', 0)} kept, {skipped} skipped")

    def opened(self, spider=None) -> None:
        self.status = self.console.status(self._line())
        self.status.start()

    def update(self, *args, **kwargs) -> None:
        if self.status is not None:
            self.status.update(self._line())

    def closed(self, spider=None) -> None:
        if self.status is not None:
            self.status.stop()


class QuietDropsLogFormatter(LogFormatter):
    """Dropped items are expected (they are skips): log them at DEBUG."""

    def dropped(self, item, exception, response, spider=None):
        entry = super().dropped(item, exception, response, spider)
        entry["level"] = 10
        return entry
