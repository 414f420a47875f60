"""`make bench`: every benchmark in turn, each in its own process (clean memory figures)."""
from __future__ import annotations

import subprocess
import sys

BENCHMARKS = ["benchmarks.bench_crawl", "benchmarks.bench_nlp", "benchmarks.bench_kb"]


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, "-m", name]).returncode != 0:
            failed.append(name)
    print(f"benchmarks: {len(BENCHMARKS) - len(failed)} ran, {len(failed)} failed {failed or ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
