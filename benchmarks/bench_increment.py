"""The daily increment: loading 1% more articles into an N-article base, against loading the N.

    python -m benchmarks.bench_increment [--n 20000] [--work DIR]

Builds N articles recombined from the demo's (benchmarks.kb_corpus; the demo is crawled and
extracted once, then kept in WORK/base_*.jsonl), writes them and 1% more as articles and
extraction JSONL files, then times, each in a fresh process as a user runs it:

1. `xdd load N.jsonl --extractions N.ext.jsonl` into an empty knowledge base;
2. `xdd load inc.jsonl --extractions inc.ext.jsonl` (N/100 new articles) into that base;
3. `xdd load upd.jsonl --extractions upd.ext.jsonl` (N/100 articles of the base with other
   figures: a sentence and a figure added).

and, on copies of the final base, the figure index alone: the update by delta of a 1% load
against the build from scratch that loads did before (pipelines.figure_index). Writes
benchmarks/out/bench_increment.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.kb_corpus import corpus
from pipelines.jsonl import read_jsonl

OUT = Path(__file__).parent / "out"
XDD = [sys.executable, "-m", "pipelines"]


def base_pairs(work: Path) -> list[tuple[dict, dict]]:
    arts, exts = work / "base_articles.jsonl", work / "base_extractions.jsonl"
    if not (arts.exists() and exts.exists()):
        from benchmarks.bench_kb import base_pairs as crawl_and_extract

        pairs = crawl_and_extract(work / "demo")
        write(arts, [a for a, _ in pairs])
        write(exts, [e for _, e in pairs])
    by_id = {e["doc_id"]: e for e in read_jsonl(exts)}
    return [(a, by_id[a["doc_id"]]) for a in read_jsonl(arts) if a["doc_id"] in by_id]


def write(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")


def write_pairs(work: Path, name: str, pairs) -> tuple[Path, Path]:
    pairs = list(pairs)
    a, e = work / f"{name}.jsonl", work / f"{name}.ext.jsonl"
    write(a, [p[0] for p in pairs])
    write(e, [p[1] for p in pairs])
    return a, e


def xdd_load(db: Path, files: tuple[Path, Path]) -> float:
    t = time.perf_counter()
    subprocess.run([*XDD, "load", str(files[0]), "--extractions", str(files[1]), "--db", str(db)],
                   check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - t, 2)


def changed(pairs):
    """The same articles with one more sentence and figure (a new version of each)."""
    words = "Năm 2024 kết nạp 321 đảng viên mới."
    for art, ext in pairs:
        text = art["text"] + "\n" + words
        start = len(art["text"]) + 1 + words.index("321")
        fig = {"text": "321 đảng viên mới", "start": start, "end": start + len("321 đảng viên mới"), "value": 321.0,
               "unit": "count", "qualifier": "exact", "indicator": "đảng viên kết nạp mới", "locality": ext.get("province"),
               "period": "2024", "period_source": "text", "scope": "province", "measure": "new"}
        sentences = list(ext.get("sentences") or []) + [[len(art["text"]) + 1, len(text)]]
        yield {**art, "text": text}, {**ext, "metrics": list(ext.get("metrics", [])) + [fig], "sentences": sentences}


def figure_index_alone(db: Path, inc: tuple[Path, Path], work: Path) -> dict:
    """On two copies of the base: load the 1% (its batches), then the figure index by delta in one
    and from scratch in the other."""
    from pipelines import db as kb, figure_index, load as loader, search

    pairs = [(a, e) for a, e in zip(read_jsonl(inc[0]), read_jsonl(inc[1]))]
    out = {}
    for mode in ("delta", "rebuild"):
        copy = work / f"figures-{mode}.duckdb"
        shutil.copyfile(db, copy)
        with kb.connect(copy) as con:
            loader.load(con, pairs, workers=1)
            t = time.perf_counter()
            if mode == "delta":
                done = figure_index.update(con)
                assert done["mode"] == "delta", done
            else:
                search.rebuild_derived_tables(con)
            con.execute("CHECKPOINT")
            out[f"figure_index_{mode}_s"] = round(time.perf_counter() - t, 3)
        copy.unlink()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/xdd-bench-increment"))
    args = ap.parse_args()
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    base = base_pairs(work)
    n, k = args.n, max(1, args.n // 100)
    full = write_pairs(work, f"n{n}", corpus(base, n))
    inc = write_pairs(work, f"inc{k}", corpus(base, k, seed=99, prefix="new"))
    upd = write_pairs(work, f"upd{k}", changed(corpus(base, k)))
    db = work / "kb.duckdb"
    for p in work.glob("kb.*"):
        shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
    result = {"n": n, "increment": k, "load_n_s": xdd_load(db, full)}
    snapshot = work / "base.duckdb"
    shutil.copyfile(db, snapshot)
    result["figure_index"] = figure_index_alone(snapshot, inc, work)
    result["load_1pct_new_s"] = xdd_load(db, inc)
    result["load_1pct_changed_s"] = xdd_load(db, upd)
    result["ratio_new"] = round(result["load_1pct_new_s"] / result["load_n_s"], 3)
    result["ratio_changed"] = round(result["load_1pct_changed_s"] / result["load_n_s"], 3)
    result["db_mb"] = round(db.stat().st_size / 1024 ** 2, 1)
    snapshot.unlink()
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_increment.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
