"""NLP speed and memory: python -m benchmarks.bench_nlp [--kb 300] [--repeats 3].

1. Whole ``nlp.extract`` vs underthesea ``word_tokenize`` alone on the same seed-like texts
   (the 5 seed articles replicated to about ``--kb`` KB), side by side in one run, plus the time
   of each pipeline stage. Target: extraction <= 1.5 x word_tokenize (aim <= 1.0).
2. Peak RSS of ``nlp.batch.extract_file`` (2 workers) on 1x and 4x that input, each in a fresh
   process: streaming keeps memory flat as the input grows.

Prints a table and writes JSON to ``benchmarks/out/bench_nlp.json``.
"""
from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
OUT = ROOT / "benchmarks" / "out"
FALLBACK = ("Đảng ủy phường Tân Lập có 312 đảng viên sinh hoạt ở 14 chi bộ. Thực hiện Chỉ thị "
            "05-CT/TW, Đảng ủy yêu cầu các chi bộ gửi lịch sinh hoạt trước ngày 20 hằng tháng.\n") * 40


def seed_texts() -> list[str]:
    files = sorted(SEEDS.glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files] or [FALLBACK]


def corpus(kb: int) -> list[str]:
    """Seed articles repeated until the total reaches ``kb`` KB of UTF-8."""
    base, out, size = seed_texts(), [], 0
    while size < kb * 1024:
        t = base[len(out) % len(base)]
        out.append(t)
        size += len(t.encode("utf-8"))
    return out


def _side_by_side(fns: dict, texts: list[str], repeats: int) -> dict[str, float]:
    """Best-of-``repeats`` total seconds per function, timed alternately text by text so that
    background load hits every function alike."""
    best = {name: float("inf") for name in fns}
    for _ in range(repeats):
        tot = dict.fromkeys(fns, 0.0)
        for t in texts:
            for name, fn in fns.items():
                t0 = time.perf_counter()
                fn(t)
                tot[name] += time.perf_counter() - t0
        best = {name: min(best[name], tot[name]) for name in fns}
    return best


def stage_times(texts: list[str]) -> dict[str, float]:
    """Seconds spent in the tokenizer and in each pipeline component over the texts."""
    from nlp.spacy_pipeline import build_pipeline

    nlp = build_pipeline()
    acc = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    for t in texts:
        t0 = time.perf_counter()
        doc = nlp.make_doc(t)
        acc["tokenizer"] += time.perf_counter() - t0
        for name, proc in nlp.pipeline:
            t0 = time.perf_counter()
            doc = proc(doc)
            acc[name] += time.perf_counter() - t0
    return acc


def speed(kb: int, repeats: int) -> dict:
    from underthesea import word_tokenize

    from nlp import extract
    from nlp.batch import warm

    texts = corpus(kb)
    warm()
    extract(texts[0])
    word_tokenize(texts[0])
    chars = sum(len(t) for t in texts)
    times = _side_by_side({"word_tokenize": word_tokenize, "extract": extract}, texts, repeats)
    wt, ex = times["word_tokenize"], times["extract"]
    return {"docs": len(texts), "chars": chars, "word_tokenize_s": wt, "extract_s": ex,
            "ratio": ex / wt, "word_tokenize_chars_per_s": chars / wt,
            "extract_chars_per_s": chars / ex, "stages_s": stage_times(texts)}


_RSS_CHILD = """
import json, resource, sys
from nlp.batch import extract_file
stats = extract_file(sys.argv[1], sys.argv[2], workers=2, progress=False)
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"docs": stats["docs"], "parent_kb": me, "worker_kb": kids}))
"""


def peak_rss(kb: int, factor: int, tmp: Path) -> dict:
    """Peak RSS (parent and largest worker) of extract_file on ``factor`` x the input."""
    src, dst = tmp / f"in_{factor}.jsonl", tmp / f"out_{factor}.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i, t in enumerate(corpus(kb * factor)):
            fh.write(json.dumps({"doc_id": f"b{i:05d}", "text": t}, ensure_ascii=False) + "\n")
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", _RSS_CHILD, str(src), str(dst)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out.update(factor=factor, input_bytes=src.stat().st_size, seconds=time.perf_counter() - t0)
    return out


def print_table(res: dict) -> None:
    s = res["speed"]
    print(f"speed on {s['docs']} docs, {s['chars']:,} chars (best of {res['repeats']} interleaved runs)")
    print(f"  {'underthesea word_tokenize':28s} {s['word_tokenize_s']:7.2f} s  {s['word_tokenize_chars_per_s']:>9,.0f} chars/s")
    print(f"  {'nlp.extract (whole)':28s} {s['extract_s']:7.2f} s  {s['extract_chars_per_s']:>9,.0f} chars/s")
    print(f"  {'ratio extract / tokenize':28s} {s['ratio']:7.2f}    (target <= 1.5, aim <= 1.0)")
    print("  stages (one pass):")
    for name, sec in s["stages_s"].items():
        print(f"    {name:26s} {sec:7.2f} s")
    print("memory through extract_file (2 workers, fresh process each):")
    print(f"  {'input':>8s} {'bytes':>10s} {'docs':>5s} {'parent MB':>10s} {'worker MB':>10s} {'secs':>6s}")
    for m in res["memory"]:
        print(f"  {str(m['factor']) + 'x':>8s} {m['input_bytes']:>10,} {m['docs']:>5d} "
              f"{m['parent_kb'] / 1024:>10.1f} {m['worker_kb'] / 1024:>10.1f} {m['seconds']:>6.1f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="NLP speed and memory benchmark")
    ap.add_argument("--kb", type=int, default=300, help="input size for the speed run (KB)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-memory", action="store_true", help="skip the RSS runs")
    args = ap.parse_args(argv)
    logging.disable(logging.WARNING)
    res = {"kb": args.kb, "repeats": args.repeats, "speed": speed(args.kb, args.repeats), "memory": []}
    if not args.no_memory:
        with tempfile.TemporaryDirectory() as tmp:
            res["memory"] = [peak_rss(args.kb, f, Path(tmp)) for f in (1, 4)]
    print_table(res)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_nlp.json").write_text(json.dumps(res, indent=2), encoding="utf-8")
    print(f"JSON written to {OUT / 'bench_nlp.json'}")


if __name__ == "__main__":
    main()
