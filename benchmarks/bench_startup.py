"""Start-up: one short article through a fresh `xdd extract` process, and 80 seed-like articles
through a fresh `xdd extract --workers 1` against a fresh process running underthesea's
`word_tokenize` on the same texts.

    python -m benchmarks.bench_startup [--runs 7]

Each command runs --runs times in a fresh process, the commands interleaved so background load
hits them alike; reported: best and median wall time, and the CPU time (user + system) of the
best run. Targets (issue 18): one short article <= 1 s; the 80 articles <= 1.0 x word_tokenize.
Writes benchmarks/out/bench_startup.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_nlp import corpus, seed_texts

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
TOKENIZE = """
import json, sys
from underthesea import word_tokenize
for line in open(sys.argv[1], encoding="utf-8"):
    word_tokenize(json.loads(line)["text"])
"""


def short_article() -> str:
    """The first lines of the first seed article, up to about 500 characters (a short news item)."""
    out = ""
    for line in seed_texts()[0].splitlines():
        if len(out) + len(line) > 500 and out:
            break
        out += line + "\n"
    return out


def write(path: Path, texts: list[str]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i, t in enumerate(texts):
            fh.write(json.dumps({"doc_id": f"s{i:03d}", "text": t}, ensure_ascii=False) + "\n")
    return path


def run(cmd: list[str]) -> tuple[float, float]:
    """(wall s, CPU s of the process and its children) of one fresh process."""
    before = os.times()
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="fresh-process start-up of xdd extract")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--articles", type=int, default=80)
    args = ap.parse_args(argv)
    xdd = [sys.executable, "-m", "pipelines", "extract"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        one = write(tmp / "one.jsonl", [short_article()])
        texts = corpus(1 << 20)[: args.articles]
        many = write(tmp / "many.jsonl", texts)
        cmds = {
            "python_startup": [sys.executable, "-c", "pass"],
            "one_article_workers_2": [*xdd, "--input", str(one), "--output", str(tmp / "o2.jsonl")],
            "one_article_workers_1": [*xdd, "--input", str(one), "--output", str(tmp / "o1.jsonl"), "--workers", "1"],
            "articles_workers_1": [*xdd, "--input", str(many), "--output", str(tmp / "m1.jsonl"), "--workers", "1"],
            "articles_word_tokenize": [sys.executable, "-c", TOKENIZE, str(many)],
        }
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in cmds}
        for _ in range(args.runs):
            for name, cmd in cmds.items():
                times[name].append(run(cmd))
    res = {"runs": args.runs, "one_article_chars": len(short_article()), "articles": len(texts),
           "articles_chars": sum(len(t) for t in texts), "load_average": os.getloadavg()[0]}
    for name, xs in times.items():
        best = min(xs)
        res[name] = {"best_s": round(best[0], 3), "median_s": round(statistics.median(w for w, _ in xs), 3),
                     "cpu_best_s": round(best[1], 3)}
    res["ratio_best"] = round(res["articles_workers_1"]["best_s"] / res["articles_word_tokenize"]["best_s"], 2)
    res["ratio_median"] = round(res["articles_workers_1"]["median_s"] / res["articles_word_tokenize"]["median_s"], 2)
    print(f"fresh processes, {args.runs} interleaved runs each (load average {res['load_average']:.1f}):")
    for name in cmds:
        r = res[name]
        print(f"  {name:24s} best {r['best_s']:6.2f} s  median {r['median_s']:6.2f} s  CPU {r['cpu_best_s']:6.2f} s")
    print(f"  {args.articles} articles: xdd extract / word_tokenize = {res['ratio_best']} (best), "
          f"{res['ratio_median']} (median); target <= 1.0")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_startup.json").write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
