"""A million articles on one machine: load, the 1% daily increment, index, search, compare, size, memory.

    python -m benchmarks.bench_scale --n 1000000 --keep /tmp/kb1m [--repeat 10]
    python -m benchmarks.bench_scale --n 100000 --keep /tmp/kb100k-scale        # to get the rates first

Builds N articles recombined from the demo's (benchmarks.kb_corpus, as bench_kb does; the demo
is crawled and extracted once and kept in KEEP/work/base_*.jsonl), then measures:

1. **load**: the N (article, extraction) pairs through `pipelines.load.load` (what `xdd load`
   runs as it reads its files), in batches of --batch, with the rate and peak RSS every 100,000
   articles; the corpus is written to KEEP/work first and read back line by line during the
   load (its reading timed with the load; `--in-process` makes it as it is loaded instead, with
   its making's time left out, but its CPU taken from the load's workers);
2. **full index build**: the derived tables from scratch (figure index: what `xdd index` does
   first) and the tantivy search index from scratch, with its size;
3. **search** p50/p95 unfiltered and per filter, **compare** p50/p95 (benchmarks.bench_kb's
   queries and filters, on the base opened read-only, as `xdd search` opens it);
4. **the 1% daily increment**: N/100 new articles, then N/100 changed ones (a sentence and a
   figure added), each through a fresh `xdd load FILE --extractions FILE` process as a user runs
   it: a copy-on-write version of the base (pipelines.versions), the batches, the figure index by
   delta, the search index by delta, publish; with that process's peak RSS;
5. **`xdd index --optimize`** after the increments (a fresh process);
6. search once more after the increments (the index now has deleted documents until optimized),
   file sizes and peak RSS of every step.

Memory is bounded by settings, not by the corpus: the load keeps DuckDB to
pipelines.load.LOAD_MEMORY and --batch articles in flight per worker, the derived tables'
rebuild to pipelines.search.REBUILD_MEMORY_BYTES (sorts spill to KEEP), the tantivy writer to
pipelines.search_index.WRITER_HEAP. Writes benchmarks/out/bench_scale.json (and KEEP/bench_scale.json
after every step, so a long run that is stopped still has its numbers).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.bench_increment import base_pairs, changed, write_pairs
from benchmarks.bench_kb import bench_compare, bench_search, dir_mb, rss_mb
from benchmarks.kb_corpus import VARY, Timed, corpus
from pipelines import compare, db, load as loader, search, search_index
from pipelines.run import INDEX_MEMORY_BYTES, _index_memory

OUT = Path(__file__).parent / "out"
XDD = [sys.executable, "-m", "pipelines"]
EVERY = 100_000


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def size_mb(path: Path) -> float:
    return round(os.path.getsize(path) / 1024 ** 2, 1) if path.exists() else 0.0


def index_mb(db_path: Path) -> float:
    link = search_index.index_path(db_path)
    return round(dir_mb(link.resolve()), 1) if link.exists() else 0.0


def bench_load(path: Path, base, n: int, batch: int, workers: int, vary: float = VARY,
               pregenerated: Path | None = None) -> dict:
    marks, t0 = [], time.perf_counter()
    seen = [0]

    def progress(k: int) -> None:
        before, seen[0] = seen[0], seen[0] + k
        if seen[0] // EVERY != before // EVERY:
            s = time.perf_counter() - t0
            marks.append({"articles": seen[0], "s": round(s, 1), "articles_per_s": round(seen[0] / s),
                          "rss_mb": round(rss_mb(), 1)})
            log(f"load: {seen[0]:,} articles in {s:.0f} s ({seen[0] / s:.0f}/s), peak RSS {rss_mb():.0f} MB, "
                f"db {size_mb(path):.0f} MB")

    corpus_s, source = 0.0, None
    if pregenerated is not None:
        # the corpus written first (not timed), then read back line by line as the load runs (its
        # reading and parsing timed, as a real load's input is): the corpus's making no longer
        # takes CPU from the load's workers (2 cores for 3 processes when made as it is loaded)
        t = time.perf_counter()
        write_corpus(pregenerated, corpus(base, n, vary=vary))
        corpus_s = time.perf_counter() - t
        log(f"corpus of {n:,} written to {pregenerated} in {corpus_s:.0f} s ({size_mb(pregenerated):,.0f} MB)")
        source = read_corpus(pregenerated)
        marks.clear()
        t0 = time.perf_counter()
    with db.connect(path) as con:
        pairs = Timed(source if source is not None else corpus(base, n, vary=vary))
        report = loader.load(con, pairs, batch_size=batch, progress=progress, workers=workers)
        made_s = 0.0 if source is not None else pairs.seconds
        load_s = time.perf_counter() - t0 - made_s     # the corpus's making left out
    return {"articles": report.new, "corpus_s": round(corpus_s or pairs.seconds, 1), "pregenerated": source is not None,
            "read_s": round(pairs.seconds, 1) if source is not None else None,
            "load_s": round(load_s, 1), "articles_per_s": round(report.new / load_s),
            "load_marks": marks, "db_mb_after_load": size_mb(path), "rss_mb_after_load": round(rss_mb(), 1)}


def write_corpus(path: Path, pairs) -> None:
    """One (article, extraction) pair per line."""
    with path.open("w", encoding="utf-8") as fh:
        for pair in pairs:
            fh.write(json.dumps(pair, ensure_ascii=False) + "\n")


def read_corpus(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            article, extraction = json.loads(line)
            yield article, extraction


def bench_build(path: Path) -> dict:
    with db.connect(path) as con:
        t1 = time.perf_counter()
        search.rebuild_derived_tables(con)
        con.execute("CHECKPOINT")
        derived_s = time.perf_counter() - t1
        log(f"derived tables (figure index) from scratch: {derived_s:.1f} s, peak RSS {rss_mb():.0f} MB")
        rss_derived = rss_mb()
        t2 = time.perf_counter()
        with _index_memory(con):         # as `xdd index` does
            built = search_index.sync(con, search_index.index_path(path), rebuild=True)
        index_s = time.perf_counter() - t2
        log(f"search index from scratch: {index_s:.1f} s, {built['units']:,} units, peak RSS {rss_mb():.0f} MB")
    return {"derived_tables_s": round(derived_s, 1), "rss_mb_after_derived": round(rss_derived, 1),
            "index_build_s": round(index_s, 1), "full_index_build_s": round(derived_s + index_s, 1),
            "index_units": built["units"], "index_mb": index_mb(path), "db_mb": size_mb(path),
            "rss_mb_after_index": round(rss_mb(), 1)}


def bench_queries(path: Path, repeat: int, suffix: str = "") -> dict:
    t = time.perf_counter()
    with db.connect(path, read_only=True) as con:
        compare.latest_table(con, "đảng viên", unit="count")      # warm: the first call imports polars
        compare.figures(con, "đảng viên", unit="count")
        out = {**bench_search(con, repeat, fts=False), **bench_compare(con, repeat)}
    log(f"search and compare{suffix}: {time.perf_counter() - t:.0f} s: "
        + ", ".join(f"{k} {v}" for k, v in out.items() if k.endswith("p95_ms")))
    return {f"{k}{suffix}": v for k, v in out.items()}


TIME = "/usr/bin/time"      # GNU time: the peak RSS of the command itself (a child's ru_maxrss
                            # would count this big process's pages at the fork)
CHILD_RSS: list[float] = []


def xdd(args: list[str]) -> float:
    t = time.perf_counter()
    timer = [TIME, "-f", "xdd-maxrss-kb %M"] if os.path.exists(TIME) else []
    done = subprocess.run([*timer, *XDD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        raise SystemExit(f"xdd {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    for line in done.stderr.splitlines():
        if line.startswith("xdd-maxrss-kb "):
            CHILD_RSS.append(round(int(line.split()[1]) / 1024, 1))
    log(f"xdd {args[0]}: {time.perf_counter() - t:.1f} s: {done.stdout.strip()[-300:]}")
    return round(time.perf_counter() - t, 1)


def bench_increment(path: Path, work: Path, base, n: int, vary: float = VARY) -> dict:
    k = max(1, n // 100)
    inc = write_pairs(work, f"inc{k}", corpus(base, k, seed=99, prefix="new", vary=vary))
    upd = write_pairs(work, f"upd{k}", changed(corpus(base, k, vary=vary)))
    out = {"increment": k}
    CHILD_RSS.clear()
    out["increment_new_s"] = xdd(["load", str(inc[0]), "--extractions", str(inc[1]), "--db", str(path)])
    out["increment_changed_s"] = xdd(["load", str(upd[0]), "--extractions", str(upd[1]), "--db", str(path)])
    out["increment_rss_mb"] = max(CHILD_RSS, default=None)
    out["index_mb_after_increments"] = index_mb(path)
    out["db_mb_after_increments"] = size_mb(path)
    for p in (*inc, *upd):
        p.unlink()
    return out


def bench_optimize(path: Path) -> dict:
    CHILD_RSS.clear()
    out = {"optimize_s": xdd(["index", "--optimize", "--db", str(path)]), "optimize_rss_mb": max(CHILD_RSS, default=None)}
    out["index_mb_after_optimize"] = index_mb(path)
    out["db_mb_after_optimize"] = size_mb(path)
    return out


def save(result: dict, keep: Path) -> None:
    result["rss_mb_peak"] = round(rss_mb(), 1)          # this process (its xdd children: *_rss_mb)
    (keep / "bench_scale.json").write_text(json.dumps(result, indent=1) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, default=Path("/tmp/kb1m"), help="Folder of the base (kept).")
    ap.add_argument("--repeat", type=int, default=10, help="Timed runs of each query.")
    ap.add_argument("--batch", type=int, default=2000, help="Articles per load batch.")
    ap.add_argument("--workers", type=int, default=2, help="Load worker processes.")
    ap.add_argument("--skip-load", action="store_true", help="The base in KEEP is built: measure the rest.")
    ap.add_argument("--in-process", action="store_true",
                    help="Make the corpus as it is loaded (sessions 7-9) instead of writing it first and "
                         "reading it back (needs about 16 GB of disk at 1M).")
    ap.add_argument("--no-optimize", dest="optimize", action="store_false",
                    help="Skip `xdd index --optimize` at the end (it rebuilds the search index: as long as its build).")
    ap.add_argument("--copies", action="store_true", help="The corpus of copies (no words varied: every "
                    "practice passage recurs thousands of times, the worst case for ranking ties).")
    args = ap.parse_args()
    vary = 0.0 if args.copies else VARY
    keep = args.keep
    keep.mkdir(parents=True, exist_ok=True)
    work = keep / "work"
    work.mkdir(exist_ok=True)
    os.environ.setdefault("TMPDIR", str(keep))
    path = keep / "bench.duckdb"
    base = base_pairs(work)
    result: dict = {"n": args.n, "base_articles": len(base), "vary": vary, "batch": args.batch, "workers": args.workers,
                    "load_memory": loader.LOAD_MEMORY, "rebuild_memory_mb": search.REBUILD_MEMORY_BYTES // 1024 ** 2, "index_memory_mb": INDEX_MEMORY_BYTES // 1024 ** 2,
                    "writer_heap_mb": search_index.WRITER_HEAP // 1024 ** 2}
    if not args.skip_load:
        for p in keep.glob("bench.*"):
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
        log(f"loading {args.n:,} articles into {path}")
        pregenerated = None if args.in_process else work / f"corpus_{args.n}.jsonl"
        result.update(bench_load(path, base, args.n, args.batch, args.workers, vary, pregenerated))
        if pregenerated is not None:
            pregenerated.unlink()
        save(result, keep)
        result.update(bench_build(path))
        save(result, keep)
    result.update(bench_queries(path, args.repeat))
    save(result, keep)
    result.update(bench_increment(path, work, base, args.n, vary))
    save(result, keep)
    result.update(bench_queries(path, max(1, args.repeat // 2), suffix="_after_increments"))
    save(result, keep)
    if args.optimize:
        result.update(bench_optimize(path))
    result["db_mb_final"] = size_mb(path)
    result["index_mb_final"] = index_mb(path)
    save(result, keep)
    OUT.mkdir(exist_ok=True)
    (OUT / f"bench_scale_{args.n}.json").write_text(json.dumps(result, indent=1) + "\n")
    for key, value in result.items():
        print(f"{key:>32}: {value}")


if __name__ == "__main__":
    main()
