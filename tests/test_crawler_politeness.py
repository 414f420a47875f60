"""Politeness and faults, measured at the server.

The polite crawl reaches a local server under a non-loopback name (`test-site.invalid`, mapped to
127.0.0.1 by the crawler's resolver, `XDD_HOSTS`), so it is treated like a real host: robots.txt
says `Crawl-delay: 3` and every gap between two requests the server sees must be ≥ 3 s, including
a retry, a redirect and discovery running beside article fetches (one test, 11 requests, ~31 s).
The fault cases run on 127.0.0.1 (no delays) and must all end as counted skips.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from crawler.run import CrawlOptions, crawl

PAGE = (Path(__file__).resolve().parent / "fixtures" / "sites" / "baocantho"
        / "thoi-hoa-doi-moi-sinh-hoat-chi-bo-chuyen-de-a90001.html").read_text(encoding="utf-8")
HOST = "test-site.invalid"


class Site(BaseHTTPRequestHandler):
    """Articles `/a/<slug>-a<id>.html`, plus `/retry/` (500 once), `/redir/` (302), `/loop/`,
    `/status/<code>/`, `/big/` (8 MB, no length), `/huge/` (declares 50 MB), `/slowbody/`."""

    hits: list[tuple[float, str]] = []
    crawl_delay = 3
    seen_retry: set[str] = set()
    articles: list[str] = []

    def log_message(self, *args) -> None:
        pass

    def _send(self, code: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:   # noqa: C901 - one route per case
        Site.hits.append((time.monotonic(), self.path))
        p = self.path
        try:
            if p == "/robots.txt":
                delay = f"Crawl-delay: {self.crawl_delay}\n" if self.crawl_delay else ""
                return self._send(200, f"User-agent: *\n{delay}".encode(), "text/plain")
            if p == "/sitemap.xml":
                locs = "".join(f"<url><loc>{u}</loc></url>" for u in self.articles[:3])
                return self._send(200, f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'.encode(),
                                  "application/xml")
            if p == "/rss.xml":
                items = "".join(f"<item><link>{u}</link></item>" for u in self.articles[3:])
                return self._send(200, f'<rss version="2.0"><channel>{items}</channel></rss>'.encode(), "application/xml")
            if p.startswith("/retry/") and p not in Site.seen_retry:
                Site.seen_retry.add(p)
                return self._send(500)
            if p.startswith("/redir/"):
                return self._send(302, Location=p.replace("/redir/", "/a/"))
            if p.startswith("/loop/"):
                return self._send(302, Location="/loop/b-a1.html" if "a-a1" in p else "/loop/a-a1.html")
            if p.startswith("/status/"):
                return self._send(int(p.split("/")[2]))
            if p.startswith("/big/"):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"x" * 131072 + b"</p>")
                return None
            if p.startswith("/huge/"):
                self.send_response(200)
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                self.wfile.write(b"<html>")
                time.sleep(3)
                return None
            if p.startswith("/slowbody/"):
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"<html><body>")
                time.sleep(5)
                return None
            aid = p.rsplit("-a", 1)[-1].split(".")[0]
            return self._send(200, PAGE.replace("a90001", f"a{aid}").encode("utf-8"))
        except (BrokenPipeError, ConnectionResetError):
            return None


def _serve():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def test_gaps_never_below_crawl_delay_with_retry_redirect_and_discovery(tmp_path):
    server, port = _serve()
    base = f"http://{HOST}:{port}"
    Site.hits, Site.seen_retry = [], set()
    Site.articles = [f"{base}/a/x-a9101.html", f"{base}/retry/x-a9102.html", f"{base}/a/x-a9103.html",
                     f"{base}/redir/x-a9104.html", f"{base}/a/x-a9105.html", f"{base}/a/x-a9106.html"]
    try:
        report = crawl(CrawlOptions(sitemaps=[f"{base}/sitemap.xml"], feeds=[f"{base}/rss.xml"], source="baocantho",
                                    output=tmp_path / "p.jsonl", raw_dir=None, progress=False,
                                    settings={"XDD_HOSTS": {HOST: "127.0.0.1"}}))
    finally:
        server.shutdown()
    times = [t for t, _ in Site.hits]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(Site.hits) == 11, Site.hits          # robots, sitemap, feed, 6 articles, a retry, a redirect
    assert {"/retry/x-a9102.html", "/redir/x-a9104.html", "/a/x-a9104.html"} <= {p for _, p in Site.hits}
    print("gaps", [round(g, 3) for g in gaps])
    assert min(gaps) >= 3.0, gaps
    assert report.kept == 6
    assert report.politeness[HOST]["floor"] == 3.0 and report.politeness[HOST]["min_gap"] >= 3.0
    assert report.politeness[HOST]["crawl_delay"] == 3.0


def test_faults_are_counted_skips_and_stall_nothing(tmp_path):
    server, port = _serve()
    base = f"http://127.0.0.1:{port}"
    Site.hits, Site.crawl_delay = [], 0
    # a host answering 503 to everything (a polite host name of its own: its own breaker count)
    storm = [f"http://storm.invalid:{port}/status/503/x-a92{i}.html" for i in range(6)]
    faults = [f"{base}/loop/a-a1.html", f"{base}/big/x-a93.html", f"{base}/huge/x-a94.html", f"{base}/slowbody/x-a95.html"]
    good = [f"{base}/a/x-a96{i}.html" for i in range(4)]
    started = time.monotonic()
    try:
        report = crawl(CrawlOptions(urls=storm + faults + good, source="baocantho", output=tmp_path / "f.jsonl",
                                    raw_dir=None, progress=False, download_timeout=1.0,
                                    settings={"XDD_HOSTS": {"storm.invalid": "127.0.0.1"}}))
    finally:
        server.shutdown()
        Site.crawl_delay = 3
    elapsed = time.monotonic() - started
    skips = [json.loads(x) for x in (tmp_path / "f.skips.jsonl").read_text(encoding="utf-8").splitlines()]
    by_url = {s["url"]: s["reason"] for s in skips}
    sent_503 = [p for _, p in Site.hits if p.startswith("/status/503/")]
    assert len(sent_503) <= 3 and report.skipped["http_503"] == len(sent_503)
    assert report.skipped["circuit_open"] == 6 - len(sent_503)
    assert by_url[f"{base}/loop/a-a1.html"] == "redirect_loop"
    assert by_url[f"{base}/big/x-a93.html"] == "too_large"
    assert by_url[f"{base}/huge/x-a94.html"] == "too_large"
    assert by_url[f"{base}/slowbody/x-a95.html"] == "timeout"
    assert report.kept == len(good)
    assert sum(report.skipped.values()) == len(skips)
    assert elapsed < 20
