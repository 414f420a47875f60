"""A crawl frontier shared by several crawler processes (or machines) through Redis (scrapy-redis).

``xdd crawl ... --frontier redis://HOST:6379/0 [--frontier-key NAME]`` runs the usual spider with
``SharedScheduler``: the request queue and the request dupefilter live in Redis
(scrapy-redis's ``PriorityQueue`` and ``RFPDupeFilter``), so every process that crawls with the
same URL and key takes requests from one queue and no URL is fetched twice. On top of
scrapy-redis, this scheduler keeps the spider's one-crawl guarantees across processes:

- **Listings once**: a sitemap, feed, category page or robots.txt (requests the spider marks
  ``dont_filter``) is queued once for the whole crawl (``<key>:listings``), not once per process.
- **One fetch per site article id**: the first URL of an article (``source:article_id``, else the
  canonical URL) claims it (``<key>:articles``); another URL of the same article becomes a
  ``duplicate_url`` skip, as in one process. Alias URLs (print views) are held
  (``<key>:aliases``) until the whole frontier is idle, so the main URL wins whichever process
  discovers it.
- **Ending together**: a process whose own work is done keeps waiting while the queue has
  requests or another process is busy (``<key>:busy``: a sorted set of workers by the time they
  last took or queued a request; a worker silent for ``STALE_S`` seconds is taken for dead). When
  all are idle the held aliases are released; then every process ends, and the keys expire after
  ``XDD_FRONTIER_TTL`` seconds (an hour by default): a process started later in that hour finds
  the crawl done, a crawl started after it starts afresh. Use another ``--frontier-key`` for
  another crawl at the same time.

Each process writes its own ``--output``; ``merge_outputs`` (``python -m crawler.frontier merge
OUT IN...``) joins them and assigns near-duplicates (``duplicate_of``) over the union, as one
crawl would. Per process still: politeness (each process keeps ≥ 1 s between its own requests to
a host: N processes make up to N requests a second to one site), the circuit breaker, robots.txt
caches, ``--max-pages``.
"""
from __future__ import annotations

import json
import os
import re
import socket
import sys
import uuid
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from crawler.parse import canonicalise
from crawler.skips import skip_item

try:  # the shared scheduler needs scrapy-redis; the rest of the crawler does not
    from scrapy_redis.scheduler import Scheduler as _RedisScheduler
except ImportError:  # pragma: no cover - scrapy-redis is a pinned dependency
    _RedisScheduler = object

LISTING_KINDS = frozenset({"sitemap", "feed", "category", "robots"})
STALE_S = 180                   # > DOWNLOAD_TIMEOUT (30 s) several times over
DEFAULT_KEY = "xdd"
DEFAULT_TTL = 3600
_KEY = re.compile(r"^[A-Za-z0-9_.:\-]{1,100}$")

# Take the best request and mark this worker busy, atomically (no other process can see the
# queue empty and no worker busy while this one holds a request).
_POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0)
if #r == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
local t = redis.call('TIME')
redis.call('ZADD', KEYS[2], t[1], ARGV[1])
return r[1]
"""


def check_frontier(url: str, key: str = DEFAULT_KEY) -> None:
    """``ValueError`` (one line) for a frontier URL or key that cannot work."""
    if not re.match(r"^(redis|rediss|unix)://", url or ""):
        raise ValueError(f"--frontier must be a redis://HOST:PORT/DB URL, not {url!r}")
    if not _KEY.match(key or ""):
        raise ValueError(f"--frontier-key must be 1-100 of A-Z a-z 0-9 _ . : -, not {key!r}")


def frontier_settings(url: str, key: str = DEFAULT_KEY, ttl: int = DEFAULT_TTL) -> dict:
    """Scrapy settings that make a crawl use the shared frontier at ``url`` under ``key``."""
    check_frontier(url, key)
    return {
        "SCHEDULER": "crawler.frontier.SharedScheduler",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,            # the others still need it when one process ends
        "SCHEDULER_QUEUE_KEY": f"{key}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{key}:dupefilter",
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,     # never block the reactor on Redis
        "REDIS_URL": url,
        "XDD_FRONTIER_KEY": key,
        "XDD_FRONTIER_TTL": int(ttl),
        "XDD_FRONTIER_POLL": 1.0,
    }


def frontier_keys(key: str) -> list[str]:
    return [f"{key}:{k}" for k in ("requests", "dupefilter", "listings", "articles", "aliases", "busy")]


class SharedScheduler(_RedisScheduler):
    """scrapy-redis's scheduler with the spider's one-crawl rules kept across processes (above)."""

    @classmethod
    def from_crawler(cls, crawler):
        inst = super().from_crawler(crawler)
        inst.crawler = crawler
        inst.base = crawler.settings.get("XDD_FRONTIER_KEY") or DEFAULT_KEY
        inst.ttl = crawler.settings.getint("XDD_FRONTIER_TTL", DEFAULT_TTL)
        inst.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        inst._pop = inst.server.register_script(_POP)
        # The engine looks again for requests every heartbeat (5 s by default): a process waiting
        # for the others' discoveries polls the shared queue every XDD_FRONTIER_POLL seconds.
        if getattr(crawler, "engine", None) is not None:
            crawler.engine._SLOT_HEARTBEAT_INTERVAL = crawler.settings.getfloat("XDD_FRONTIER_POLL", 1.0)
        crawler.signals.connect(inst.on_idle, signal=signals.spider_idle)
        return inst

    def _k(self, name: str) -> str:
        return f"{self.base}:{name}"

    def _inc(self, what: str) -> None:
        if self.stats:
            self.stats.inc_value(f"xdd/frontier/{what}")

    def _mark_busy(self) -> None:
        self.server.zadd(self._k("busy"), {self.worker: int(self.server.time()[0])})

    # -- scheduler interface -------------------------------------------------------
    def open(self, spider):
        result = super().open(spider)
        for k in frontier_keys(self.base):
            self.server.persist(k)               # a crawl (re)joined: no expiry while it runs
        self._mark_busy()
        return result

    def close(self, reason):
        self.server.zrem(self._k("busy"), self.worker)
        return super().close(reason)

    def enqueue_request(self, request) -> bool:
        self._mark_busy()
        kind = request.meta.get("kind")
        if kind in LISTING_KINDS:
            if not self.server.sadd(self._k("listings"), self.df.request_fingerprint(request)):
                self._inc("listing_taken")
                return False
            self.queue.push(request)
            self._inc("enqueued")
            return True
        if kind == "article" and not request.meta.get("explicit"):
            key, alias = self._article_key(request.url)
            if alias:
                if self.server.hexists(self._k("articles"), key):
                    return self._push_duplicate(request, key)
                if self.server.hsetnx(self._k("aliases"), key, self.queue._encode_request(request)):
                    self._inc("alias_held")
                    return True
                return self._push_duplicate(request, key, held=True)
            if not self.server.hsetnx(self._k("articles"), key, request.url):
                return self._push_duplicate(request, key)
        if not super().enqueue_request(request):
            self._inc("url_taken")
            return False
        self._inc("enqueued")
        return True

    def next_request(self):
        data = self._pop(keys=[self.queue.key, self._k("busy")], args=[self.worker])
        if not data:
            return None
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis", spider=self.spider)
        return self.queue._decode_request(data)

    # -- articles ---------------------------------------------------------------------
    def _article_key(self, url: str) -> tuple[str, bool]:
        """The spider's one-fetch key of an article URL (``source:article_id``, else the
        canonical URL) and whether the URL is an alias (e.g. a print view)."""
        source = self.spider.source_for(url)
        aid = source.article_id_of(url) if source else None
        key = f"{source.name}:{aid}" if aid else canonicalise(url)
        return key, bool(source and aid and source.is_alias(url))

    def _push_duplicate(self, request, key: str, held: bool = False) -> bool:
        """Another URL of an article already claimed: a ``duplicate_url`` skip, as one process
        writes it; the same URL again: nothing."""
        field = "aliases" if held else "articles"
        first = self.server.hget(self._k(field), key)
        if held and first:
            first = self.queue._decode_request(first).url
        first = first.decode("utf-8") if isinstance(first, bytes) else first
        if first == request.url:
            self._inc("url_taken")
            return False
        item = skip_item("duplicate_url", request.url, f"same article as {first}", request.meta.get("source"))
        self.queue.push(self.spider._skip_request(item))
        self._inc("duplicate_article")
        return True

    # -- ending together ------------------------------------------------------------
    def on_idle(self, spider=None) -> None:
        """This process has nothing left: wait while the frontier has work, release held
        aliases when nobody has, else let the spider close (keys set to expire)."""
        busy = self._k("busy")
        now = int(self.server.time()[0])
        self.server.zrem(busy, self.worker)
        self.server.zremrangebyscore(busy, "-inf", now - STALE_S)
        if len(self.queue) or self.server.zcard(busy):
            raise DontCloseSpider
        if self._release_aliases():
            raise DontCloseSpider
        for k in frontier_keys(self.base):
            self.server.expire(k, self.ttl)

    def _release_aliases(self) -> int:
        released = 0
        for key in sorted(self.server.hkeys(self._k("aliases"))):
            data = self.server.hget(self._k("aliases"), key)
            if data is None or not self.server.hdel(self._k("aliases"), key):
                continue          # another process took it
            request = self.queue._decode_request(data)
            key_s = key.decode("utf-8") if isinstance(key, bytes) else key
            if self.server.hsetnx(self._k("articles"), key_s, request.url):
                self.queue.push(request)
                self._inc("alias_fetched")
            else:
                self._push_duplicate(request, key_s)
            released += 1
        if released:
            self._mark_busy()
        return released


# ------------------------------------------------------------------ outputs of several processes
def merge_outputs(inputs: list[Path], output: Path, seen: dict | None = None, threshold: int = 6) -> dict:
    """Join the article files of the processes of one shared crawl into ``output`` (one record
    per doc_id) with near-duplicates (``duplicate_of``) assigned over the union, and their skips
    files into ``output``'s; returns ``{"records", "near_duplicates", "skips"}``."""
    from crawler.item_pipelines import read_records, write_records

    output = Path(output)
    records, ids = [], set()
    for path in inputs:
        for rec in read_records(Path(path)):
            if rec["doc_id"] not in ids:
                ids.add(rec["doc_id"])
                records.append(rec)
    output.parent.mkdir(parents=True, exist_ok=True)
    near = write_records(records, output, seen or {}, threshold)
    skips = [line for path in inputs for p in [Path(path).with_suffix(".skips.jsonl")] if p.exists()
             for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    out_skips = output.with_suffix(".skips.jsonl")
    tmp = out_skips.with_name(out_skips.name + ".tmp")
    tmp.write_text("".join(line + "\n" for line in skips), encoding="utf-8")
    tmp.replace(out_skips)
    return {"records": len(records), "near_duplicates": near, "skips": len(skips)}


def main(argv: list[str] | None = None) -> int:
    """``python -m crawler.frontier merge OUT IN [IN ...]``."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 3 or argv[0] != "merge":
        print("usage: python -m crawler.frontier merge OUT.jsonl IN.jsonl [IN.jsonl ...]", file=sys.stderr)
        return 2
    print(json.dumps(merge_outputs([Path(p) for p in argv[2:]], Path(argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
