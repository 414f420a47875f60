"""NewsSpider: one spider for every configured source (sitemaps, feeds, categories, URLs)."""
from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from crawler import discovery
from crawler.dates import TZ, parse_date
from crawler.health import Health
from crawler.parse import canonicalise, parse_article
from crawler.records import make_doc_id
from crawler.skips import failure_reason, skip_item
from crawler.sources import SourceConfig, generic_source, is_loopback, load_sources, resolve_source


class NewsSpider(scrapy.Spider):
    """Discovers article URLs and parses them with the routed source's config."""

    name = "xdd_news"

    def __init__(self, options: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.options = options or {}
        self.sources = load_sources()
        self.source_mode = self.options.get("source", "auto")
        if self.source_mode not in (None, "auto") and self.source_mode not in self.sources:
            generic = generic_source(self.source_mode)   # any outlet of outlets.csv, in generic mode
            if generic is not None:
                self.sources[generic.name] = generic
                self.source_mode = generic.name
        self.since = parse_date(self.options.get("since"))
        self.max_pages = self.options.get("max_pages")
        self._index_seen(self.options.get("seen") or {})

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    # -- state -----------------------------------------------------------------
    def _index_seen(self, seen: dict) -> None:
        self.seen = seen
        self.seen_urls = {u: d for d, s in seen.items() for u in (s.get("url"), s.get("canonical_url")) if u}

    def _state(self) -> dict:
        state = getattr(self, "state", None)
        if state is None:
            state = self.state = {}
        state.setdefault("urls", set())
        state.setdefault("ids", {})
        state.setdefault("aliases", {})   # key -> (alias URL, lastmod iso, origin) awaiting the main URL
        state.setdefault("articles", 0)
        return state

    def source_for(self, url: str) -> SourceConfig | None:
        """The source config routed for `url` (None in generic mode)."""
        return resolve_source(url, self.source_mode, self.sources)

    def _count(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"xdd/{key}", n)

    # -- seeds -----------------------------------------------------------------
    async def start(self):
        for req in self.seed_requests():
            yield req

    def _default_seeds(self) -> dict:
        chosen = ([self.sources[self.source_mode]] if self.source_mode in self.sources
                  else list(self.sources.values()))
        return {"sitemaps": [u for s in chosen for u in s.sitemaps],
                "feeds": [u for s in chosen for u in s.feeds],
                "categories": [u for s in chosen for u in s.categories],
                "robots": [f"https://{s.domains[0]}/robots.txt" for s in chosen if s.robots_sitemaps and s.domains]}

    def seed_requests(self):
        """Requests for every seed; a source's own entry points when none are given."""
        o = self.options
        seeds = {k: list(o.get(k) or []) for k in ("urls", "sitemaps", "feeds", "categories")}
        seeds["robots"] = []
        if not any(seeds.values()):
            seeds.update(self._default_seeds())
        listings = [*(self._listing(u, self.parse_robots, "robots", errback=self.on_robots_error,
                                    dont_obey_robotstxt=True) for u in seeds["robots"]),
                    *(self._listing(u, self.parse_sitemap, "sitemap") for u in seeds["sitemaps"]),
                    *(self._listing(u, self.parse_feed, "feed") for u in seeds["feeds"]),
                    *(self._listing(u, self.parse_category, "category", root=u) for u in seeds["categories"])]
        yield from (r for r in listings if r is not None)
        for url in seeds["urls"]:
            yield from self.article_request(url, None, origin="urls")

    def _listing(self, url: str, callback, kind: str, errback=None, **meta) -> scrapy.Request | None:
        # Listings bypass the (JOBDIR-persisted) dupefilter so a resumed crawl reads them again and
        # finds what it has not fetched yet; within one run each listing is fetched once.
        listed = self.__dict__.setdefault("_listed", set())
        if url in listed:
            return None
        listed.add(url)
        return scrapy.Request(url, callback=callback, errback=errback or self.on_error, dont_filter=True,
                              meta={"kind": kind, **meta}, priority=10)

    # -- scheduling --------------------------------------------------------------
    def _fresh(self, lastmod) -> bool:
        return self.since is None or lastmod is None or lastmod.value >= self.since.value

    def _unchanged(self, doc_id: str, url: str, lastmod) -> bool:
        known = self.seen.get(doc_id) or self.seen.get(self.seen_urls.get(url, ""))
        if not known:
            return False
        fetched = parse_date(known.get("fetched_at"))
        return not (lastmod and fetched and lastmod.value > fetched.value)

    def article_request(self, url: str, lastmod, origin: str):
        """Yield a Request for an article URL, a skip item, or nothing (not an article / seen URL).

        One fetch per site article id. An alias URL (e.g. a print view) is held back until the
        crawl has nothing else to do (`on_idle`), so the main URL wins whatever order discovery
        meets them in, and the alias is counted `duplicate_url` without being fetched.
        """
        source = self.source_for(url)
        name = source.name if source else None
        if source and not source.is_article_url(url) and origin != "urls":
            return
        host = urlsplit(url).hostname or ""
        if source and source.generic and origin != "urls" and not (source.owns(host) or is_loopback(host)):
            self._count("discovery/off_host")
            return
        st = self._state()
        if url in st["urls"]:
            return
        st["urls"].add(url)
        aid = source.article_id_of(url) if source else None
        key = f"{name}:{aid}" if aid else canonicalise(url)
        if key in st["ids"]:
            yield skip_item("duplicate_url", url, f"same article as {st['ids'][key]}", name)
            return
        if source and aid and source.is_alias(url):
            if key in st["aliases"]:
                yield skip_item("duplicate_url", url, f"same article as {st['aliases'][key][0]}", name)
            else:
                st["aliases"][key] = (url, lastmod.iso() if lastmod else None, origin)
            return
        held = st["aliases"].pop(key, None)
        if held:
            yield skip_item("duplicate_url", held[0], f"same article as {url}", name)
        yield from self._article_request(url, key, name, aid, lastmod, origin)

    def _article_request(self, url: str, key: str, name: str | None, aid: str | None, lastmod, origin: str):
        st = self._state()
        st["ids"][key] = url
        doc_id = make_doc_id(name or (urlsplit(url).hostname or "web"), aid, canonicalise(url))
        explicit = origin == "urls"     # named by the user: fetched even when the knowledge base has it
        if not explicit and self._unchanged(doc_id, url, lastmod):
            yield skip_item("unchanged", url, "already in the knowledge base", name)
            return
        if self.max_pages is not None and st["articles"] >= self.max_pages:
            self._count("discovery/over_max_pages")
            st["ids"].pop(key, None)      # not fetched: a resumed crawl (JOBDIR) must still take it
            st["urls"].discard(url)
            return
        st["articles"] += 1
        yield scrapy.Request(url, callback=self.parse_article_page, errback=self.on_error,
                             dont_filter=explicit,
                             meta={"kind": "article", "source": name, "origin": origin, "explicit": explicit})

    def on_idle(self, spider=None) -> None:
        """Discovery is done: fetch held-back aliases whose main URL never turned up."""
        st = self._state()
        if not st["aliases"]:
            return
        held, st["aliases"] = sorted(st["aliases"].items()), {}
        scheduled = False
        for key, (url, lastmod, origin) in held:
            src = self.source_for(url)
            name = src.name if src else None
            for req in self._article_request(url, key, name, src.article_id_of(url) if src else None,
                                             parse_date(lastmod), origin):
                if isinstance(req, scrapy.Request):
                    self.crawler.engine.crawl(req)
                    scheduled = True
                else:   # an `unchanged` skip: let the pipelines count it
                    self.crawler.engine.crawl(self._skip_request(req))
                    scheduled = True
        if scheduled:
            raise DontCloseSpider

    def _skip_request(self, item: dict) -> scrapy.Request:
        """A local `data:` request whose callback yields `item` (items cannot be injected from idle)."""
        return scrapy.Request("data:,", callback=self._emit, cb_kwargs={"item": item}, dont_filter=True,
                              meta={"kind": "skip", "dont_obey_robotstxt": True})

    def _emit(self, response, item: dict):
        yield item

    def schedule_entries(self, entries, origin: str):
        """Article requests for discovered entries (main URLs before aliases such as print views)."""
        def alias(e) -> bool:
            src = self.source_for(e.url)
            return bool(src and src.is_alias(e.url))

        for entry in sorted(entries, key=alias):
            if not self._fresh(entry.lastmod):
                self._count("discovery/older_than_since")
                continue
            yield from self.article_request(entry.url, entry.lastmod, origin)

    # -- callbacks ---------------------------------------------------------------
    def parse_sitemap(self, response):
        """Follow sitemap indexes; schedule urlset entries (filtered by `since`)."""
        entries = discovery.parse_sitemap(response.body, response.url)
        self._count("discovery/sitemap_entries", len(entries))
        for e in entries:
            if e.is_sitemap:
                src = self.source_for(e.url)
                if src and any(re.search(p, e.url) for p in src.sitemap_deny):
                    continue
                if self._fresh(e.lastmod) and (req := self._listing(e.url, self.parse_sitemap, "sitemap")):
                    yield req
        yield from self.schedule_entries([e for e in entries if not e.is_sitemap], "sitemap")

    def parse_robots(self, response):
        """Generic discovery: `Sitemap:` lines of robots.txt, else /sitemap.xml and /rss of the host."""
        found = discovery.parse_robots_sitemaps(response.body, response.url)
        self._count("discovery/robots_sitemaps", len(found))
        yield from self._robots_fallback(response.url, found)

    def on_robots_error(self, failure):
        yield from self._robots_fallback(failure.request.url, [])

    def _robots_fallback(self, url: str, found: list[str]):
        root = url.split("/robots.txt", 1)[0]
        for u in found or [f"{root}/sitemap.xml"]:
            if req := self._listing(u, self.parse_sitemap, "sitemap"):
                yield req
        if not found:
            for u in (f"{root}/rss", f"{root}/rss.xml"):
                if req := self._listing(u, self.parse_feed, "feed"):
                    yield req

    def parse_feed(self, response):
        """Schedule RSS/Atom items (pubDate order per source, e.g. M/D/Y for baochinhphu)."""
        src = self.source_for(response.url)
        entries = discovery.parse_feed(response.body, response.url, src.feed_date_order if src else "dmy")
        self._count("discovery/feed_entries", len(entries))
        yield from self.schedule_entries(entries, "feed")

    def parse_category(self, response):
        """Schedule article links of a listing page and follow its pagination."""
        src = self.source_for(response.url)
        articles, pages = discovery.category_links(response.text, response.url, src)
        self._count("discovery/category_links", len(articles))
        yield from self.schedule_entries([discovery.Entry(u) for u in articles], "category")
        root = response.meta.get("root", response.url)
        depth = response.meta.get("page", 1)
        limit = src.max_category_pages if src else 5
        for url in pages:
            if depth < limit and urlsplit(url).path.startswith(urlsplit(root).path.rstrip("/")):
                req = self._listing(url, self.parse_category, "category", root=root, page=depth + 1)
                if req is not None:
                    yield req

    def parse_article_page(self, response):
        """Parse an article response into a record (or a skip)."""
        name = response.meta.get("source")
        self._count("fetched")
        self._count(f"source/{name or 'generic'}/fetched")
        src = self.sources.get(name) if name else None
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        explicit = bool(response.meta.get("explicit"))
        result = parse_article(response.body, response.url, src, datetime.now(TZ), content_type=ctype,
                               explicit=explicit)
        if not result.ok:
            yield skip_item(result.skip, response.url, result.detail, name)
            return
        Health(self.crawler.stats).observe(name or "generic", result.article)
        yield {**result.article, "_raw": response.body, "_content_type": ctype, "_notes": result.notes,
               "_explicit": explicit}

    def on_error(self, failure):
        """Turn a failed request into a counted skip (http_<status>, timeout, robots, circuit_open)."""
        request = failure.request
        reason, detail = failure_reason(failure)
        kind = request.meta.get("kind", "article")
        if kind != "article":
            detail = f"{kind}: {detail}".rstrip(": ")
        url = (request.meta.get("redirect_urls") or [request.url])[0]   # the URL that was asked for
        yield skip_item(reason, url, detail, request.meta.get("source"))
