"""Downloader middlewares: per-site politeness floors (robots Crawl-delay, min_delay) and a circuit breaker."""
from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware as _Redirect
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as _ScrapyRobotsTxt
from scrapy.exceptions import IgnoreRequest
from twisted.internet.defer import Deferred

from crawler.sources import is_loopback, load_sources


class CircuitOpen(IgnoreRequest):
    """Raised for requests to a site whose circuit breaker is open."""


class PolitenessMiddleware:
    """Each host's floor: max(robots Crawl-delay, the source's min_delay, 1 s); loopback hosts get 0.

    Scrapy parses robots.txt but ignores Crawl-delay (scrapy#892); this reads it from the
    `robots_parsed` signal (Protego). The floors live on the crawler (`crawler.xdd_floors`, host
    → seconds, `*` for any other host) and the downloader (`crawler.downloader`) applies them to
    every request it dispatches.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.polite = crawler.settings.getbool("XDD_POLITE", True)
        self.user_agent = crawler.settings.get("USER_AGENT")
        base = max(1.0, crawler.settings.getfloat("DOWNLOAD_DELAY", 1.0)) if self.polite else 0.0
        self.floors: dict[str, float] = {"*": base}
        for src in load_sources().values():
            for d in src.domains:
                self.floors[d] = self.floors["www." + d] = max(base, src.min_delay) if self.polite else 0.0
        crawler.xdd_floors = self.floors
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def robots_parsed(self, robotparser, request, **kwargs) -> None:
        host = urlsplit(request.url).hostname or ""
        delay = robotparser.crawl_delay(self.user_agent) if hasattr(robotparser, "crawl_delay") else None
        if delay and self.polite and not is_loopback(host):
            self.floors[host] = max(self.floors.get(host, self.floors["*"]), float(delay))
            self.crawler.stats.set_value(f"xdd/politeness/crawl_delay/{host}", float(delay))

    def process_request(self, request, spider=None):
        host = urlsplit(request.url).hostname or ""
        if is_loopback(host) or not self.polite:
            self.floors[host] = 0.0
            _, slot = self.crawler.engine.downloader._get_slot(request)
            slot.delay, slot.jitter = 0.0, 0.0
            request.meta["autothrottle_dont_adjust_delay"] = True
        return None


class CircuitBreakerMiddleware:
    """After N consecutive 403/429/503 from one host, requests to it fail with `circuit_open`.

    Checked when a request enters the downloader and again by the downloader when it would send
    one (`crawler.xdd_breaker`): requests already queued for the host are dropped once it trips,
    and while a host is failing, failures + requests in flight stay below the threshold, so at
    most `XDD_CIRCUIT_THRESHOLD` requests reach a host that answers every one with 503.
    """

    def __init__(self, crawler):
        self.stats = crawler.stats
        self.threshold = crawler.settings.getint("XDD_CIRCUIT_THRESHOLD", 3)
        self.codes = set(crawler.settings.getlist("XDD_CIRCUIT_CODES", [403, 429, 503]))
        self.failures: Counter[str] = Counter()
        self.open: set[str] = set()
        crawler.xdd_breaker = self
        # counted when the downloader has the response, before it sends the next request
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @staticmethod
    def _host(url: str) -> str:
        return urlsplit(url).hostname or ""

    def is_open(self, host: str) -> bool:
        return host in self.open

    def may_send(self, host: str, in_flight: int) -> bool:
        """False while a failing host has as many requests in flight as failures it may still take."""
        return not self.failures[host] or self.failures[host] + in_flight < self.threshold

    def exception(self, host: str) -> "CircuitOpen":
        self.stats.inc_value("xdd/circuit/ignored")
        return CircuitOpen(f"circuit open for {host}")

    def process_request(self, request, spider=None):
        host = self._host(request.url)
        if host in self.open:
            raise self.exception(host)
        return None

    def response_downloaded(self, response, request, spider=None):
        host = self._host(request.url)
        if int(response.status) in self.codes:
            self.failures[host] += 1
            if self.failures[host] >= self.threshold and host not in self.open:
                self.open.add(host)
                self.stats.inc_value("xdd/circuit/opened")
        elif 200 <= response.status < 400:
            self.failures[host] = 0


class LoopAwareRedirectMiddleware(_Redirect):
    """Scrapy's redirects, with loops and over-long chains failing as counted skips.

    A redirect back to a URL of its own chain raises `RedirectLoop` (`redirect_loop`); more than
    REDIRECT_MAX_TIMES hops `too_many_redirects`. Redirected requests bypass the duplicate filter,
    which otherwise dropped the second visit of a loop silently (no errback, no skip record).
    """

    def _redirect(self, redirected, request, reason):
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, redirected.url])[:300]}")
        if len(chain) > self.max_redirect_times:
            raise TooManyRedirects(f"more than {self.max_redirect_times} redirects from {chain[0]}")
        out = super()._redirect(redirected, request, reason)
        out.dont_filter = True
        return out


class RedirectLoop(IgnoreRequest):
    """A redirect chain came back to one of its own URLs."""


class TooManyRedirects(IgnoreRequest):
    """A redirect chain longer than REDIRECT_MAX_TIMES."""


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
