"""`xdd crawl --frontier redis://...`: two crawler processes split one crawl of the demo site.

A Redis server (Debian's `redis-server`) is started on a free port of 127.0.0.1 in a temporary
folder and stopped by the module; the demo site is served locally, counting the requests per
path (article pages wait until both processes have asked for robots.txt, then answer after a short
delay). Checked: together the two processes fetch every article of a
one-process crawl exactly once, keep the same records and skips, and a process that joins after
the end finds the crawl done.
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (Debian package "
                                "redis-server: `make install` installs it as root)")

from crawler.frontier import frontier_keys, frontier_settings, merge_outputs  # noqa: E402
from crawler.run import CrawlOptions, crawl  # noqa: E402
from pipelines.demo import CATEGORY_PAGES, DEMO_SITE  # noqa: E402

ARTICLE_DELAY = 0.2
VOLATILE = ("fetched_at", "raw_path", "duplicate_of")


class Gate:
    """Article pages wait until `processes` crawler processes have asked for robots.txt (each
    process asks once), so that a second process is up before the first can take everything."""

    def __init__(self) -> None:
        self.lock, self.open, self.processes = threading.Lock(), threading.Event(), 1

    def expect(self, processes: int, counts: Counter) -> None:
        self.processes = processes
        self.open.clear()
        counts.clear()


class CountingHandler(SimpleHTTPRequestHandler):
    counts: Counter
    gate: Gate

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        with self.gate.lock:
            self.counts[self.path] += 1
            if self.counts["/robots.txt"] >= self.gate.processes:
                self.gate.open.set()
        if self.path.endswith((".html", ".htm")) and self.path.count("/") > 2:
            self.gate.open.wait(30)
            time.sleep(ARTICLE_DELAY)
        super().do_GET()

    def guess_type(self, path) -> str:
        return "text/html; charset=utf-8" if str(path).endswith((".html", ".htm")) else "application/xml"


class _Server(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    import redis

    folder = tmp_path_factory.mktemp("redis")
    port = _free_port()
    log = (folder / "redis.log").open("wb")
    proc = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                             "--save", "", "--appendonly", "no", "--daemonize", "no"],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 15
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"redis-server did not start: {(folder / 'redis.log').read_text()[-500:]}")
            time.sleep(0.05)
    yield url
    client.close()
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


@pytest.fixture(scope="module")
def site():
    counts: Counter = Counter()
    gate = Gate()
    handler = type("Handler", (CountingHandler,), {"counts": counts, "gate": gate})
    server = _Server(("127.0.0.1", 0), partial(handler, directory=str(DEMO_SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", counts, gate
    server.shutdown()
    server.server_close()


def _options(base: str, output: Path, **kw) -> CrawlOptions:
    return CrawlOptions(sitemaps=[f"{base}/sitemap.xml"], feeds=[f"{base}/rss.xml"],
                        categories=[base + c for c in CATEGORY_PAGES], source="auto", output=output,
                        raw_dir=None, progress=False, **kw)


def _records(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _article_paths(output: Path) -> set[str]:
    """Paths of the article pages a crawl kept or skipped (not listings)."""
    from urllib.parse import urlsplit

    rows = _records(output) + _records(output.with_suffix(".skips.jsonl"))
    return {urlsplit(r["url"]).path for r in rows}


def _articles(counts: Counter, paths: set[str]) -> Counter:
    return Counter({p: n for p, n in counts.items() if p in paths})


@pytest.fixture(scope="module")
def crawls(site, redis_url, tmp_path_factory):
    base, counts, gate = site
    root = tmp_path_factory.mktemp("frontier")
    single = root / "single.jsonl"
    gate.expect(1, counts)
    crawl(_options(base, single))
    single_counts = Counter(counts)
    gate.expect(2, counts)
    settings = frontier_settings(redis_url, key="test-shared")
    outs = [root / "a.jsonl", root / "b.jsonl"]
    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda out: crawl(_options(base, out, settings=settings)), outs))
    elapsed = time.monotonic() - started
    shared_counts = Counter(counts)
    return root, single, single_counts, outs, shared_counts, reports, elapsed


def test_each_article_fetched_once(crawls):
    _, single_out, single_counts, _, shared_counts, _, _ = crawls
    paths = _article_paths(single_out)
    single, shared = _articles(single_counts, paths), _articles(shared_counts, paths)
    assert len(single) >= 40
    assert set(shared) == set(single)
    assert max(shared.values()) == 1, [p for p, n in shared.items() if n > 1]
    without_robots = lambda c: Counter({p: n for p, n in c.items() if p != "/robots.txt"})   # noqa: E731
    assert without_robots(shared_counts) == without_robots(single_counts)   # the same requests, once each
    listings = {p: n for p, n in shared_counts.items() if p not in paths and p != "/robots.txt"}
    assert listings and max(listings.values()) == 1          # sitemaps, feeds, category pages: once


def test_union_equals_single_crawl(crawls):
    root, single, _, outs, _, reports, _ = crawls
    a, b = (_records(p) for p in outs)
    print(f"shared frontier: {len(a)} + {len(b)} articles kept by the two processes")
    assert a and b, f"both processes should have crawled a part: {len(a)} + {len(b)}"
    assert not {r["doc_id"] for r in a} & {r["doc_id"] for r in b}
    one = {r["doc_id"]: r for r in _records(single)}
    union = {r["doc_id"]: r for r in a + b}
    assert set(union) == set(one)
    strip = lambda r: {k: v for k, v in r.items() if k not in VOLATILE}   # noqa: E731
    assert {d: strip(r) for d, r in union.items()} == {d: strip(r) for d, r in one.items()}
    merged = root / "merged.jsonl"
    stats = merge_outputs(outs, merged)
    assert stats["records"] == len(one)
    assert {r["doc_id"]: r["duplicate_of"] for r in _records(merged)} == {d: r["duplicate_of"] for d, r in one.items()}
    skips = lambda paths: sorted((s["url"], s["reason"], s.get("detail")) for p in paths   # noqa: E731
                                 for s in _records(p.with_suffix(".skips.jsonl")))
    assert skips(outs) == skips([single]) == skips([merged])
    assert any(s[1] == "duplicate_url" for s in skips(outs))   # the print view of an article: not fetched
    assert sum(r.kept for r in reports) == len(one)


def test_frontier_ends_and_late_process_finds_it_done(crawls, site, redis_url):
    import redis

    root, _, _, _, _, _, _ = crawls
    base, counts, gate = site
    gate.expect(1, counts)
    client = redis.Redis.from_url(redis_url)
    key = "test-shared"
    assert client.zcard(f"{key}:busy") == 0 and client.zcard(f"{key}:requests") == 0
    assert client.hlen(f"{key}:aliases") == 0
    ttls = [client.ttl(k) for k in frontier_keys(key) if client.exists(k)]
    assert ttls and all(0 < t <= 3600 for t in ttls)                      # kept for an hour, then gone
    late = root / "late.jsonl"
    report = crawl(_options(base, late, settings=frontier_settings(redis_url, key=key)))
    assert report.kept == 0 and not _articles(counts, _article_paths(root / "single.jsonl"))
    counts.clear()
    client.close()


def test_frontier_option_errors():
    with pytest.raises(ValueError, match="redis://"):
        frontier_settings("http://127.0.0.1:6379/0")
    with pytest.raises(ValueError, match="frontier-key"):
        frontier_settings("redis://127.0.0.1:6379/0", key="a b%")
