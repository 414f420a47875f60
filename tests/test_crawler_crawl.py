"""End to end: the real spider crawls a local fixture site through `crawl()` (no network)."""
from __future__ import annotations

import json
import shutil
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler import reextract
from crawler.run import CrawlOptions, crawl

SITES = Path(__file__).resolve().parent / "fixtures" / "sites"
DEMO = Path(__file__).resolve().parents[1] / "data" / "demo_site"
BCT = "baocantho/thoi-hoa-doi-moi-sinh-hoat-chi-bo-chuyen-de-a90001.html"


class Handler(SimpleHTTPRequestHandler):
    """Static files plus failure routes: /slow/, /status/<code>/, /latin1/ (wrong charset header)."""

    def log_message(self, *args) -> None:
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):   # the crawler gave up (timeout test)
            pass

    def do_GET(self) -> None:
        parts = self.path.split("/")
        if "slow" in parts:
            time.sleep(2.5)
        if "status" in parts:
            code = int(parts[parts.index("status") + 1])
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()

    def guess_type(self, path) -> str:
        if "/latin1/" in str(path):
            return "text/html; charset=iso-8859-1"
        return "text/html; charset=utf-8" if not str(path).endswith((".xml", ".rss", ".txt")) else "application/xml"


def _serve(root: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _variant(html: str, old_id: str, new_id: str, **replace: str) -> str:
    html = html.replace(old_id, new_id)
    for a, b in replace.items():
        html = html.replace(a.replace("_", " "), b)
    return html


def build_site(root: Path) -> None:
    """Copy the per-source fixture pages and add messy pages, discovery files and robots.txt."""
    shutil.copytree(SITES, root, dirs_exist_ok=True)
    page = (SITES / BCT).read_text(encoding="utf-8")
    body_start, body_end = page.index('<div class="content-fck'), page.index('<div class="share">')
    messy = {
        "baocantho/latin1/chi-bo-thoi-hoa-a90011.html": page.replace("a90001", "a90011"),
        "baocantho/truncated-a90012.html": page[: page.index("Năm qua")],
        "baocantho/empty-a90013.html": page[:body_start] + '<div class="content-fck"></div>' + page[body_end:],
        "baocantho/english-a90014.html": page[:body_start] + '<div class="content-fck">' + (
            "<p>The council met on Monday to review the annual budget and the parking rules.</p>" * 6)
            + "</div>" + page[body_end:].replace("a90001", "a90014"),
        "baocantho/print/thoi-hoa-doi-moi-sinh-hoat-chi-bo-chuyen-de-a90001.html": page,
        "baotayninh/ban-sao-thoi-hoa-a90020.html": page.replace("a90001", "a90020").replace(
            "09/01/2026 - 07:45", "12/01/2026 - 09:00").replace("baocantho.com.vn/thoi", "baotayninh.vn/thoi"),
        "private/noi-bo-a90030.html": page,
    }
    for rel, html in messy.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(html, encoding="utf-8")
    for p in root.rglob("*.expected.json"):
        p.unlink()
    articles = sorted("/" + str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()
                      and p.parts[len(root.parts)] not in ("private",) and "latin1" not in p.parts)
    half = len(articles) // 2
    urlset = "".join(f"<url><loc>{u}</loc><lastmod>2025-01-0{1 + i % 8}</lastmod></url>" for i, u in enumerate(articles[:half]))
    (root / "sitemap-articles.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urlset}</urlset>')
    (root / "sitemap.xml").write_text('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                                      'sitemap/0.9"><sitemap><loc>/sitemap-articles.xml</loc></sitemap></sitemapindex>')
    items = "".join(f"<item><link>{u}</link><pubDate>Thu, 02 Jan 2025 08:00:00 +0700</pubDate></item>" for u in articles[half:])
    (root / "rss.xml").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>')
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    build_site(root)
    server, base = _serve(root)
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def first_crawl(site, tmp_path_factory):
    out = tmp_path_factory.mktemp("crawl") / "articles.jsonl"
    report = crawl(CrawlOptions(
        sitemaps=[f"{site}/sitemap.xml"], feeds=[f"{site}/rss.xml"],
        urls=[f"{site}/baocantho/latin1/chi-bo-thoi-hoa-a90011.html", f"{site}/private/noi-bo-a90030.html",
              f"{site}/baocantho/status/404/x-a90041.html", f"{site}/baocantho/status/500/x-a90042.html",
              f"{site}/baocantho/slow/x-a90043.html"],
        output=out, raw_dir=out.parent / "raw", progress=False, download_timeout=1.0))
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    skips = [json.loads(x) for x in out.with_suffix(".skips.jsonl").read_text(encoding="utf-8").splitlines()]
    return report, records, skips, out


def test_every_source_fixture_is_kept(first_crawl):
    report, records, _, _ = first_crawl
    sources = {r["source"] for r in records}
    assert {"baocantho", "baotayninh", "dangcongsan", "baochinhphu", "nhandan", "qdnd",
            "tapchicongsan", "xaydungdang", "baobacninhtv"} <= sources
    assert report.kept == len(records) == 11
    assert all(r["text"] and r["content_hash"] and int(r["simhash"]) > 0 for r in records)


def test_failures_are_counted_skips(first_crawl):
    report, _, skips, _ = first_crawl
    reasons = {s["reason"] for s in skips}
    for reason in ("truncated_html", "empty_body", "not_vietnamese", "duplicate_url", "robots",
                   "http_404", "http_500", "timeout"):
        assert reason in reasons, reason
        assert report.skipped[reason] >= 1
    assert sum(report.skipped.values()) == len(skips)
    dups = [s for s in skips if s["reason"] == "duplicate_url"]
    assert any("/print/" in s["url"] + s["detail"] and "a90001" in s["url"] for s in dups)
    assert [s["url"].split("/", 3)[3] for s in skips if s["reason"] == "robots"] == ["private/noi-bo-a90030.html"]


def test_wrong_charset_header_still_decodes(first_crawl):
    _, records, _, _ = first_crawl
    rec = next(r for r in records if "latin1" in r["url"])
    assert "Đảng ủy xã Thới Hòa" in rec["text"] and "Ã" not in rec["text"]


def test_syndicated_copy_points_at_the_earlier_article(first_crawl):
    report, records, _, _ = first_crawl
    by_id = {r["site_article_id"]: r for r in records}
    cluster = [by_id[i] for i in ("90001", "90011", "90020")]   # same text; 90020 published later
    canonical = [r for r in cluster if r["duplicate_of"] is None]
    assert len(canonical) == 1 and canonical[0]["site_article_id"] != "90020"
    assert by_id["90020"]["duplicate_of"] == canonical[0]["doc_id"]
    assert report.near_duplicates == 2


def test_raw_html_is_stored_and_reextracts(first_crawl, tmp_path):
    _, records, _, out = first_crawl
    assert all(Path(r["raw_path"]).exists() for r in records)
    again = reextract(out.parent / "raw", tmp_path / "re.jsonl")
    rebuilt = {json.loads(x)["doc_id"]: json.loads(x) for x in (tmp_path / "re.jsonl").read_text().splitlines()}
    assert again.kept == len(records)
    assert all(rebuilt[r["doc_id"]]["text"] == r["text"] for r in records)


def test_recrawl_with_seen_yields_nothing_new(site, first_crawl, tmp_path):
    _, records, _, _ = first_crawl
    seen = {r["doc_id"]: {k: r[k] for k in ("url", "canonical_url", "content_hash", "simhash", "published", "fetched_at")}
            for r in records}
    report = crawl(CrawlOptions(sitemaps=[f"{site}/sitemap.xml"], feeds=[f"{site}/rss.xml"],
                                urls=[f"{site}/baocantho/latin1/chi-bo-thoi-hoa-a90011.html"],
                                output=tmp_path / "again.jsonl", raw_dir=None, seen=seen, progress=False))
    # discovered URLs the knowledge base has are skipped; the one named with --url is fetched again
    kept = [json.loads(x) for x in (tmp_path / "again.jsonl").read_text(encoding="utf-8").splitlines()]
    assert report.kept == 1 and [r["url"] for r in kept] == [f"{site}/baocantho/latin1/chi-bo-thoi-hoa-a90011.html"]
    assert report.skipped["unchanged"] >= 10


def test_circuit_breaker_after_repeated_503(site, tmp_path):
    urls = [f"{site}/baocantho/status/503/x-a9910{i}.html" for i in range(6)]
    report = crawl(CrawlOptions(urls=urls, output=tmp_path / "cb.jsonl", raw_dir=None, progress=False,
                                settings={"CONCURRENT_REQUESTS": 1, "XDD_CIRCUIT_THRESHOLD": 3}))
    assert report.skipped.get("http_503") == 3
    assert report.skipped.get("circuit_open") == 3


def test_demo_site_crawl(tmp_path):
    if not (DEMO / "sitemap.xml").exists():
        pytest.skip("demo site not present")
    server, base = _serve(DEMO)
    try:
        report = crawl(CrawlOptions(sitemaps=[f"{base}/sitemap.xml"], feeds=[f"{base}/rss.xml"],
                                    output=tmp_path / "demo.jsonl", raw_dir=None, progress=False))
    finally:
        server.shutdown()
    facts = json.loads((DEMO / "expected_facts.json").read_text(encoding="utf-8"))["articles"]
    records = {json.loads(x)["url"].split(base, 1)[1]: json.loads(x) for x in (tmp_path / "demo.jsonl").read_text().splitlines()}
    skips = {json.loads(x)["url"].split(base, 1)[1]: json.loads(x)["reason"]
             for x in (tmp_path / "demo.skips.jsonl").read_text().splitlines()}
    for fact in facts:
        if fact["status"] == "skipped":
            assert skips.get(fact["url"]) == fact["skip_reason"], fact["url"]
        else:
            rec = records[fact["url"]]
            assert rec["title"] == fact["title"] and rec["published"] == fact["published"], fact["url"]
            assert "\u00d0" not in rec["text"]
            if fact["status"] == "near_duplicate":
                assert records[fact["duplicate_of"]]["doc_id"] == rec["duplicate_of"]


def test_print_view_is_the_skipped_one_whatever_the_order(site, tmp_path):
    # the print view is met first (an explicit URL, scheduled before any listing is read)
    main = f"{site}/baocantho/thoi-hoa-doi-moi-sinh-hoat-chi-bo-chuyen-de-a90001.html"
    printed = f"{site}/baocantho/print/thoi-hoa-doi-moi-sinh-hoat-chi-bo-chuyen-de-a90001.html"
    for i, urls in enumerate(([printed, main], [main, printed])):
        out = tmp_path / f"p{i}.jsonl"
        report = crawl(CrawlOptions(urls=urls, output=out, raw_dir=None, progress=False))
        records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        skips = [json.loads(x) for x in out.with_suffix(".skips.jsonl").read_text(encoding="utf-8").splitlines()]
        assert [r["url"] for r in records] == [main]
        assert [(s["url"], s["reason"]) for s in skips] == [(printed, "duplicate_url")]
        assert report.fetched == 1


def test_print_view_alone_is_fetched(site, tmp_path):
    printed = f"{site}/baocantho/print/thoi-hoa-doi-moi-sinh-hoat-chi-bo-chuyen-de-a90001.html"
    report = crawl(CrawlOptions(urls=[printed], output=tmp_path / "p.jsonl", raw_dir=None, progress=False))
    assert report.kept == 1


def test_resume_interrupted_crawl_with_jobdir(site, first_crawl, tmp_path):
    _, full, _, _ = first_crawl
    jobdir, out = tmp_path / "job", tmp_path / "resume.jsonl"
    opts = dict(sitemaps=[f"{site}/sitemap.xml"], feeds=[f"{site}/rss.xml"], output=out, raw_dir=None,
                jobdir=jobdir, progress=False)
    first = crawl(CrawlOptions(**opts, max_pages=3))      # "interrupted" after 3 article fetches
    assert first.fetched == 3
    second = crawl(CrawlOptions(**opts))
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    urls = [r["url"] for r in records]
    assert len(urls) == len(set(urls)) and len({r["doc_id"] for r in records}) == len(records)
    expected = {r["url"] for r in full if "latin1" not in r["url"]}    # the latin1 page is an explicit URL only
    assert set(urls) == expected
    assert first.fetched + second.fetched == len(expected) + sum(
        first.skipped.get(k, 0) + second.skipped.get(k, 0) for k in ("truncated_html", "empty_body", "not_vietnamese"))
    skips = [json.loads(x) for x in out.with_suffix(".skips.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len({s["url"] for s in skips}) == len(skips)   # nothing skipped twice either
