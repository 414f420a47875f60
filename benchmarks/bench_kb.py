"""Knowledge-base speed on a recombined 100,000-article corpus.

    python -m benchmarks.bench_kb [--n 100000]

    python -m benchmarks.bench_kb --articles 20000 [--no-fts]

    python -m benchmarks.bench_kb --reuse /tmp/kb100k [--repeat 10]

Measures: load rate (articles/s with their facts), the derived tables (figure index), the
tantivy search index built from scratch (`xdd index`) and its size, the index update after a
load of 1,000 changed or new articles (500 of each: what `xdd load` does after its batches),
search latency (p50/p95, with fetching and highlighting the hits) unfiltered and per filter,
side by side with DuckDB's own `match_bm25` macro on the same terms (FTS index), compare
latency, and RSS as the corpus grows. Writes benchmarks/out/bench_kb.json.

`--reuse DIR` times search and compare only, on a base kept by an earlier `--keep DIR` (no
load, no index build; after a change of the index layout run `xdd index --db DIR/bench.duckdb`
first); it writes benchmarks/out/bench_kb_reuse.json.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
from contextlib import nullcontext
import time
from pathlib import Path

from benchmarks.kb_corpus import VARY, Timed, corpus
from pipelines import compare, db, load as loader, search, search_index
from pipelines.demo import DEMO_SITE, crawl_demo
from pipelines.run import _index_memory, extract_articles
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


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1024 ** 2


def bench_load(path: Path, base, n: int, fts: bool, vary: float = VARY) -> dict:
    rss, t0 = [], time.perf_counter()
    with db.connect(path) as con:
        def progress(k, seen=[0]):
            seen[0] += k
            if seen[0] % 20000 == 0:
                rss.append((seen[0], round(rss_mb(), 1)))
        pairs = Timed(corpus(base, n, vary=vary))
        report = loader.load(con, pairs, batch_size=2000, progress=progress)
        load_s = time.perf_counter() - t0 - pairs.seconds     # the corpus's making left out
        t1 = time.perf_counter()
        search.rebuild_derived_tables(con)
        con.execute("CHECKPOINT")
        derived_s = time.perf_counter() - t1
        t2 = time.perf_counter()
        with _index_memory(con):         # as `xdd load` and `xdd index` do
            built = search_index.sync(con, search_index.index_path(path), rebuild=True)
        index_s = time.perf_counter() - t2
        rss_index = rss_mb()
        fts_s = None
        if fts:
            t3 = time.perf_counter()
            search.build_fts_index(con)      # only for the side-by-side with match_bm25 (xdd index --fts)
            con.execute("CHECKPOINT")
            fts_s = round(time.perf_counter() - t3, 2)
    return {"articles": report.new, "corpus_s": round(pairs.seconds, 2), "load_s": round(load_s, 2), "articles_per_s": round(report.new / load_s),
            "derived_tables_s": round(derived_s, 2), "index_build_s": round(index_s, 2),
            "index_units": built["units"], "index_mb": round(dir_mb(search_index.index_path(path)), 1),
            "load_and_index_articles_per_s": round(report.new / (load_s + derived_s + index_s)),
            "rss_mb_by_articles": rss, "rss_mb_after_index": round(rss_index, 1), "fts_build_s": fts_s}


def bench_update(path: Path, base, n: int, changed: int = 500, new: int = 500, vary: float = VARY) -> dict:
    """A load of `changed` articles of the base with a sentence added and `new` ones, then the
    index update that ends `xdd load` (deletes of the old versions, adds of the new ones)."""
    pairs = list(corpus(base, changed, vary=vary))
    pairs = [({**a, "text": a["text"] + "\nChi bộ cập nhật sổ tay đảng viên điện tử."}, e) for a, e in pairs]
    pairs += list(corpus(base, new, seed=99, prefix="new", vary=vary))
    with db.connect(path) as con:
        t0 = time.perf_counter()
        report = loader.load(con, pairs, batch_size=1000)
        load_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        with _index_memory(con):
            synced = search_index.sync(con, search_index.index_path(path))
        sync_s = time.perf_counter() - t1
    return {"update_articles": {"new": report.new, "updated": report.updated}, "update_load_s": round(load_s, 2),
            "index_update_s": round(sync_s, 2), "index_update_added": synced["added"],
            "index_update_deleted": synced["deleted"], "index_update_rebuilt": synced["rebuilt"],
            "index_mb_after_update": round(dir_mb(search_index.index_path(path)), 1)}


def bench_search(con, repeat: int, fts: bool) -> dict:
    ours, macro = [], []
    for q in QUERIES:
        search.search(con, q)  # warm
        ours += timed(lambda: search.search(con, q), repeat)
        if fts:
            qs = " ".join(query_terms(q))
            sql = ("SELECT unit_id, score FROM (SELECT unit_id, fts_main_search_text.match_bm25(unit_id, ?) AS score "
                   "FROM search_text) WHERE score IS NOT NULL ORDER BY score DESC LIMIT 10")
            macro += timed(lambda: con.execute(sql, [qs]).fetchall(), max(1, repeat // 5))
    F = search.SearchFilters
    groups = {"province": [F(province="Bắc Giang", kind="practice"), F(province="Bắc Ninh", merged=True)],
              "category": [F(category="sinh_hoat_chi_bo"), F(category="sinh_hoat_chi_bo", kind="article")],
              "since": [F(since="2024-01-01"), F(province="Nghệ An", since="2024-01-01")],
              "source": [F(source="baochinhphu", kind="article"), F(source="nhandan")],
              "document": [F(document="05-CT/TW")],
              "district": [F(district="Ninh Kiều"), F(district="Dong Van")],
              "phrase": None}
    by = {name: [] for name in groups}
    for q in QUERIES[:4]:
        for name, filters in groups.items():
            if filters is None:
                by[name] += timed(lambda: search.search(con, f'"{q}"'), repeat)
                continue
            for f in filters:
                by[name] += timed(lambda: search.search(con, q, f), repeat)
    engine = []        # the engine's part alone: parse, query, top units with ties settled (no stored
    searcher = search_index.open_searcher(con)      # fields read, no sentences)
    for q in QUERIES:
        def top(q=q):
            parsed = search.parse_query(q)
            search.top_addresses(searcher, search.build_query(parsed, search._filter_values(con, F())), 10)
        engine += timed(top, repeat)
    out = {"search_p50_ms": round(statistics.median(ours), 1), "search_p95_ms": round(p95(ours), 1),
           "engine_only_p50_ms": round(statistics.median(engine), 1), "engine_only_p95_ms": round(p95(engine), 1)}
    for name, xs in by.items():
        out[f"search_{name}_p50_ms"] = round(statistics.median(xs), 1)
        out[f"search_{name}_p95_ms"] = round(p95(xs), 1)
    if macro:
        out.update({"match_bm25_p50_ms": round(statistics.median(macro), 1), "match_bm25_p95_ms": round(p95(macro), 1),
                    "speedup_p95": round(p95(macro) / p95(ours), 1)})
    return out


def bench_compare(con, repeat: int) -> dict:
    """`xdd compare` (latest per province, in DuckDB) and `--history` (every figure, polars)."""
    latest = timed(lambda: compare.latest_table(con, "đảng viên", unit="count"), repeat)
    history = timed(lambda: compare.figures(con, "đảng viên", unit="count"), max(1, repeat // 2))
    return {"compare_p50_ms": round(statistics.median(latest), 1), "compare_p95_ms": round(p95(latest), 1),
            "compare_history_p95_ms": round(p95(history), 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", "--articles", dest="n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--no-fts", dest="fts", action="store_false", help="Skip DuckDB's FTS index (the match_bm25 anchor).")
    ap.add_argument("--keep", type=Path, help="Build the base in this folder and keep it (bench.duckdb, for "
                                              "benchmarks.bench_web --db) instead of a temporary one.")
    ap.add_argument("--reuse", type=Path, help="Time search and compare only, on the base an earlier --keep "
                                               "left in this folder (bench.duckdb and its index).")
    ap.add_argument("--copies", action="store_true", help="The corpus of copies (no words varied: every "
                    "practice passage recurs thousands of times, the worst case for ranking ties).")
    args = ap.parse_args()
    vary = 0.0 if args.copies else VARY
    if args.reuse:
        result = {"reused": str(args.reuse / "bench.duckdb")}
        with db.connect(args.reuse / "bench.duckdb", read_only=True) as con:
            result["articles"] = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            if args.fts:
                args.fts = search.fts_ready(con)
                if args.fts:
                    db.load_fts(con)
            result.update(bench_search(con, args.repeat, args.fts))
            result.update(bench_compare(con, args.repeat))
        OUT.mkdir(exist_ok=True)
        (OUT / "bench_kb_reuse.json").write_text(json.dumps(result, indent=1))
        for k, v in result.items():
            print(f"{k:>24}: {v}")
        return
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with (nullcontext(str(args.keep)) if args.keep else tempfile.TemporaryDirectory()) as tmp:
        base = base_pairs(Path(tmp) / "work")
        path = Path(tmp) / "bench.duckdb"
        result = {"n": args.n, "base_articles": len(base), "vary": vary, **bench_load(path, base, args.n, args.fts, vary)}
        print(json.dumps(result), flush=True)
        with db.connect(path, read_only=True) as con:
            if args.fts:
                db.load_fts(con)
            result.update(bench_search(con, args.repeat, args.fts))
            result.update(bench_compare(con, args.repeat))
        print(json.dumps(result), flush=True)
        result.update(bench_update(path, base, args.n, vary=vary))
        result["rss_mb_peak"] = round(rss_mb(), 1)
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_kb.json").write_text(json.dumps(result, indent=1))
    for k, v in result.items():
        print(f"{k:>24}: {v}")


if __name__ == "__main__":
    main()
