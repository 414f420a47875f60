"""Downloader middlewares: per-site politeness floors (robots Crawl-delay, min_delay) and a circuit breaker."""
from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as _ScrapyRobotsTxt
from scrapy.exceptions import IgnoreRequest
from twisted.internet.defer import Deferred

from crawler.sources import is_loopback, load_sources


class CircuitOpen(IgnoreRequest):
    """Raised for requests to a site whose circuit breaker is open."""


class PolitenessMiddleware:
    """Keeps each site's delay ≥ max(min_delay, robots Crawl-delay); loopback hosts get 0.

    Scrapy parses robots.txt but ignores Crawl-delay (scrapy#892); this reads it from the
    `robots_parsed` signal (Protego) and enforces it on the download slot.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.polite = crawler.settings.getbool("XDD_POLITE", True)
        self.user_agent = crawler.settings.get("USER_AGENT")
        self.floors: dict[str, float] = {}
        for src in load_sources().values():
            for d in src.domains:
                self.floors[d] = self.floors["www." + d] = src.min_delay if self.polite else 0.0
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def robots_parsed(self, robotparser, request, **kwargs) -> None:
        host = urlsplit(request.url).hostname or ""
        delay = robotparser.crawl_delay(self.user_agent) if hasattr(robotparser, "crawl_delay") else None
        if delay and self.polite and not is_loopback(host):
            self.floors[host] = max(self.floors.get(host, 0.0), float(delay))
            self.crawler.stats.set_value(f"xdd/politeness/crawl_delay/{host}", float(delay))

    def process_request(self, request, spider=None):
        downloader = self.crawler.engine.downloader
        key, slot = downloader._get_slot(request)
        host = urlsplit(request.url).hostname or ""
        if is_loopback(host) or not self.polite:
            slot.delay, slot.jitter = 0.0, 0.0
            request.meta["autothrottle_dont_adjust_delay"] = True
        else:
            slot.delay = max(slot.delay, self.floors.get(host, self.floors.get(key, 0.0)))
        return None


class CircuitBreakerMiddleware:
    """After N consecutive 403/429/503 from one host, ignore further requests to it (`circuit_open`)."""

    def __init__(self, crawler):
        self.stats = crawler.stats
        self.threshold = crawler.settings.getint("XDD_CIRCUIT_THRESHOLD", 3)
        self.codes = set(crawler.settings.getlist("XDD_CIRCUIT_CODES", [403, 429, 503]))
        self.failures: Counter[str] = Counter()
        self.open: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        host = urlsplit(request.url).netloc
        if host in self.open:
            self.stats.inc_value("xdd/circuit/ignored")
            raise CircuitOpen(f"circuit open for {host}")
        return None

    def process_response(self, request, response, spider=None):
        host = urlsplit(request.url).netloc
        if int(response.status) in self.codes:
            self.failures[host] += 1
            if self.failures[host] >= self.threshold and host not in self.open:
                self.open.add(host)
                self.stats.inc_value("xdd/circuit/opened")
        elif 200 <= response.status < 400:
            self.failures[host] = 0
        return response


class RobotsTxtMiddleware(_ScrapyRobotsTxt):
    """Scrapy's robots.txt middleware, fixed for requests that wait on the first robots fetch.

    In Scrapy 2.19, every request that awaits the pending robots.txt Deferred after the first
    one receives None (the Deferred's result is consumed by the first awaiter), so those
    requests were let through unchecked. Here they read the parser that was stored instead.
    """

    async def robot_parser(self, request):
        rp = await super().robot_parser(request)
        if rp is None:
            stored = self._parsers.get(urlsplit(request.url).netloc)
            if stored is not None and not isinstance(stored, Deferred):
                return stored
        return rp
