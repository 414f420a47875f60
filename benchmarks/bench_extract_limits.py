"""Cost of one hostile document: wall time and peak RSS of ``nlp.extract`` in a fresh process.

    .venv/bin/python -m benchmarks.bench_extract_limits              # every case
    .venv/bin/python -m benchmarks.bench_extract_limits num 1000000  # one case

Cases (``KIND SIZE``, SIZE in UTF-8 bytes): ``num`` = ``"1.234 đảng viên, "`` repeated,
``paren`` = ``"((((..."``, ``mixed`` = bodies, figures, brackets and document codes without a
line break, ``prose`` = ordinary article sentences and paragraphs. Each prints the outcome
(figures found, or the reject reason), seconds and peak MB; the target (issue 15) is a result
or a reject within 30 s and 1.5 GB for any document of 1 MB or less.
"""
from __future__ import annotations

import subprocess
import sys

UNITS = {
    "num": "1.234 đảng viên, ",
    "paren": "(",
    "mixed": "Đảng bộ tỉnh Bắc Ninh có 1.234 đảng viên ((( [[ 12,5% ]] )) theo Chỉ thị 05-CT/TW. ",
    "prose": ("Năm 2023, Đảng bộ huyện Yên Thế kết nạp 312 đảng viên mới, đạt 104% kế hoạch; "
              "Huyện ủy tổ chức sinh hoạt chuyên đề tại 96 chi bộ.\n"),
}
CASES = [(k, n) for n in (1_000_000, 130_000) for k in UNITS] + [("num", 30_000), ("prose", 110_000), ("mixed", 110_000), ("paren", 78_000)]


def make(kind: str, size: int) -> str:
    unit = UNITS[kind]
    text = unit * (size // len(unit.encode()) + 1)
    return text.encode()[:size].decode("utf-8", "ignore")


CHILD = """
import resource, sys, time
from benchmarks.bench_extract_limits import make
from nlp.batch import failure_reason, warm
warm()
text = make(sys.argv[1], int(sys.argv[2]))
t = time.perf_counter()
try:
    from nlp import extract
    out = extract(text, doc_id="x")
    what = f"{len(out['metrics'])} figures, {len(out['entities'])} entities"
except Exception as exc:
    what = f"reject {failure_reason(exc)} ({failure_reason(exc).detail})"
dt = time.perf_counter() - t
print(f"{sys.argv[1]:>6} {int(sys.argv[2]):>9} B  {dt:6.1f} s  {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024:6d} MB  {what}")
"""


def run(kind: str, size: int) -> None:
    subprocess.run([sys.executable, "-c", CHILD, kind, str(size)], check=False)


def main(argv: list[str]) -> int:
    cases = [(argv[0], int(argv[1]))] if len(argv) == 2 else CASES
    print("  kind      size        time     peak  outcome", flush=True)
    for kind, size in cases:
        run(kind, size)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
