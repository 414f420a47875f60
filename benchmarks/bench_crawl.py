"""Crawl + parse throughput on a local site (politeness off), and parse-only cost vs trafilatura.

Run: `python -m benchmarks.bench_crawl [--pages 400]`; writes `benchmarks/out/bench_crawl.json`.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo_site"
FIXTURES = ROOT / "tests" / "fixtures" / "sites"
OUT = ROOT / "benchmarks" / "out"
_ID = re.compile(r"(\d{3,18})(?=\D*$)")   # the article id: the last number in the path


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _templates() -> list[tuple[str, bytes]]:
    """(root-relative path, html) of every kept-looking page of the demo site, else the fixtures."""
    base = DEMO if (DEMO / "sitemap.xml").exists() else FIXTURES
    pages = [p for p in base.rglob("*") if p.is_file() and not p.name.endswith((".json", ".xml", ".rss", ".txt", ".svg"))
             and _ID.search(p.name) and "print" not in p.parts and "private" not in p.parts]
    return [("/" + str(p.relative_to(base)), p.read_bytes()) for p in pages]


def build_site(root: Path, n: int) -> list[str]:
    """Replicate template pages under new article ids until there are `n`; write a sitemap."""
    templates, urls = _templates(), []
    for i in range(n):
        path, html = templates[i % len(templates)]
        old_id = _ID.search(path).group(1)
        new_id = str(700000 + i) if len(old_id) < 15 else "1022404" + str(700000 + i).zfill(11)
        new_path = _ID.sub(new_id, path, count=1)
        target = root / new_path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        # a distinct article: its own id in canonical/og:url too, so it goes through every pipeline
        target.write_bytes(html.replace(old_id.encode(), new_id.encode()).replace(b"</p>", f" ({i})</p>".encode(), 1))
        urls.append(new_path)
    locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    (root / "sitemap.xml").write_text(f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>')
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    return urls


def bench_crawl(n: int) -> dict:
    """Crawl a replicated site through `crawl()` with politeness off."""
    from crawler.run import CrawlOptions, crawl

    tmp = Path(tempfile.mkdtemp(prefix="xdd-bench-"))
    try:
        build_site(tmp / "site", n)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(tmp / "site")))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        started = time.perf_counter()
        report = crawl(CrawlOptions(sitemaps=[f"{base}/sitemap.xml"], output=tmp / "a.jsonl", raw_dir=tmp / "raw",
                                    polite=False, progress=False))
        wall = time.perf_counter() - started
        server.shutdown()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"pages": report.fetched, "kept": report.kept, "near_duplicates": report.near_duplicates,
            "skipped": report.skipped,
            "crawl_s": report.elapsed_s, "wall_s": round(wall, 3),
            "pages_per_s": round(report.fetched / report.elapsed_s, 1),
            "pages_per_s_wall": round(report.fetched / wall, 1)}


def _per_page(fn, pages, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        for url, html in pages:
            fn(html, url)
        runs.append((time.perf_counter() - t) * 1000 / len(pages))
    return round(statistics.median(runs), 3)


def bench_parse() -> dict:
    """ms/page of `parse_article` vs plain `trafilatura.extract` on the same pages."""
    import trafilatura

    from crawler.parse import parse_article
    from crawler.sources import load_sources, route

    sources = load_sources()
    pages = [(f"http://127.0.0.1:1{p}", h) for p, h in _templates()]
    parse_article(pages[0][1], pages[0][0], route(pages[0][0], sources))   # warm imports
    trafilatura.extract(pages[0][1].decode("utf-8"))
    return {"pages": len(pages),
            "parse_article_ms": _per_page(lambda h, u: parse_article(h, u, route(u, sources)), pages),
            "trafilatura_extract_ms": _per_page(lambda h, u: trafilatura.extract(h.decode("utf-8", "replace"), url=u), pages)}


def main(argv: list[str] | None = None) -> dict:
    """Run both benchmarks, print a table, write JSON to benchmarks/out/."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=400)
    args = ap.parse_args(argv)
    result = {"crawl": bench_crawl(args.pages), "parse": bench_parse()}
    c, p = result["crawl"], result["parse"]
    print(f"{'measure':34} {'value':>10}")
    print(f"{'pages crawled (politeness off)':34} {c['pages']:>10}")
    print(f"{'  kept (all pipelines ran)':34} {c['kept']:>10}")
    print(f"{'crawl pages/s (in crawler)':34} {c['pages_per_s']:>10}")
    print(f"{'crawl pages/s (wall, incl. start)':34} {c['pages_per_s_wall']:>10}")
    print(f"{'parse_article ms/page':34} {p['parse_article_ms']:>10}")
    print(f"{'trafilatura.extract ms/page':34} {p['trafilatura_extract_ms']:>10}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_crawl.json").write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
