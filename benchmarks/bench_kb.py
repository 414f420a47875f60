"""Knowledge-base speed on a recombined 100,000-article corpus.

    python -m benchmarks.bench_kb [--n 100000]

Measures: load rate (articles/s with their facts), the derived-table rebuild that makes them
searchable (and the rate of both together), DuckDB's FTS index build, search latency (p50/p95)
side by side with DuckDB's own `match_bm25` macro on the same FTS index, compare latency, and
RSS as the corpus grows. Writes benchmarks/out/bench_kb.json.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.kb_corpus import corpus
from pipelines import compare, db, load as loader, search
from pipelines.demo import DEMO_SITE, crawl_demo
from pipelines.run import extract_articles
from pipelines.textindex import query_terms

QUERIES = ["sinh hoạt chi bộ", "sinh hoat chi bo", "phát triển đảng viên", "kiểm tra giám sát",
           "chuyển đổi số", "học tập và làm theo Bác", "đảng viên nhận phụ trách hộ", "Zalo chi bộ",
           "củng cố tổ chức cơ sở đảng", "cán bộ trẻ"]
OUT = Path(__file__).parent / "out"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def base_pairs(work: Path) -> list[tuple[dict, dict]]:
    _, articles, _ = crawl_demo(DEMO_SITE, {}, work)
    return [(a, e) for a, e in extract_articles(articles) if not a.get("duplicate_of")]


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times


def p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]


def bench_load(path: Path, base, n: int) -> dict:
    rss, t0 = [], time.perf_counter()
    with db.connect(path) as con:
        def progress(k, seen=[0]):
            seen[0] += k
            if seen[0] % 20000 == 0:
                rss.append((seen[0], round(rss_mb(), 1)))
        report = loader.load(con, corpus(base, n), batch_size=2000, progress=progress)
        load_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        search.rebuild_search_index(con)
        con.execute("CHECKPOINT")
        index_s = time.perf_counter() - t1
        rss_index = rss_mb()
        t2 = time.perf_counter()
        search.build_fts_index(con)      # only for the side-by-side with match_bm25 (xdd index --fts)
        con.execute("CHECKPOINT")
        fts_s = time.perf_counter() - t2
    return {"articles": report.new, "load_s": round(load_s, 2), "articles_per_s": round(report.new / load_s),
            "index_build_s": round(index_s, 2),
            "load_and_index_articles_per_s": round(report.new / (load_s + index_s)),
            "rss_mb_by_articles": rss, "rss_mb_after_index": round(rss_index, 1),
            "fts_build_s": round(fts_s, 2)}


def bench_search(con, repeat: int) -> dict:
    ours, macro = [], []
    for q in QUERIES:
        search.search(con, q)  # warm
        ours += timed(lambda: search.search(con, q), repeat)
        qs = " ".join(query_terms(q))
        sql = ("SELECT unit_id, score FROM (SELECT unit_id, fts_main_search_text.match_bm25(unit_id, ?) AS score "
               "FROM search_text) WHERE score IS NOT NULL ORDER BY score DESC LIMIT 10")
        macro += timed(lambda: con.execute(sql, [qs]).fetchall(), max(1, repeat // 5))
    F = search.SearchFilters
    groups = {"place": [F(province="Bắc Giang", kind="practice"), F(province="Bắc Ninh", merged=True)],
              "category": [F(category="sinh_hoat_chi_bo"), F(province="Nghệ An", since="2024-01-01")],
              "date_source": [F(since="2024-01-01"), F(source="baochinhphu", kind="article")],
              "document": [F(document="05-CT/TW")]}
    by = {name: [] for name in groups}
    for q in QUERIES[:4]:
        for name, filters in groups.items():
            for f in filters:
                by[name] += timed(lambda: search.search(con, q, f), repeat)
    by_place, by_category, by_date_source, by_document = by["place"], by["category"], by["date_source"], by["document"]
    return {"ours_p50_ms": round(statistics.median(ours), 1), "ours_p95_ms": round(p95(ours), 1),
            "ours_province_filter_p95_ms": round(p95(by_place), 1),
            "ours_other_filters_p95_ms": round(p95(by_category), 1),
            "ours_date_source_filters_p95_ms": round(p95(by_date_source), 1),
            "ours_document_filter_p95_ms": round(p95(by_document), 1),
            "match_bm25_p50_ms": round(statistics.median(macro), 1), "match_bm25_p95_ms": round(p95(macro), 1),
            "speedup_p95": round(p95(macro) / p95(ours), 1)}


def bench_compare(con, repeat: int) -> dict:
    """`xdd compare` (latest per province, in DuckDB) and `--history` (every figure, polars)."""
    latest = timed(lambda: compare.latest_table(con, "đảng viên", unit="count"), repeat)
    history = timed(lambda: compare.figures(con, "đảng viên", unit="count"), max(1, repeat // 2))
    return {"compare_p50_ms": round(statistics.median(latest), 1), "compare_p95_ms": round(p95(latest), 1),
            "compare_history_p95_ms": round(p95(history), 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = base_pairs(Path(tmp) / "work")
        path = Path(tmp) / "bench.duckdb"
        result = {"n": args.n, "base_articles": len(base), **bench_load(path, base, args.n)}
        print(json.dumps(result), flush=True)
        with db.connect(path, read_only=True) as con:
            db.load_fts(con)
            result.update(bench_search(con, args.repeat))
            result.update(bench_compare(con, args.repeat))
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_kb.json").write_text(json.dumps(result, indent=1))
    for k, v in result.items():
        print(f"{k:>24}: {v}")


if __name__ == "__main__":
    main()
