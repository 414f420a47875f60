"""Where figures go wrong on a gold set: one line per matched figure whose locality, period,
scope, measure or indicator differs from the gold, and the gold figures not found.

    python scripts/metric_errors.py ../shared/eval/dev_real.jsonl [--field period] [--doc r004]

Gold lines carry their ``text`` (and ``url``/``published``/``title`` when known), as in
``../shared/eval/dev_real.jsonl`` and ``data/gold/*.jsonl``. Matching is by (value, unit) and
span overlap, like the scorer's.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIELDS = ("locality", "period", "scope", "measure", "indicator")


def _pair(gold: list[dict], system: list[dict]) -> list[tuple[dict, dict | None]]:
    used, out = set(), []
    for g in gold:
        best = None
        for i, s in enumerate(system):
            if i in used or s.get("unit") != g.get("unit") or abs(float(s["value"]) - float(g["value"])) > 1e-6:
                continue
            key = (max(0, min(g["end"], s["end"]) - max(g["start"], s["start"])) == 0, abs(g["start"] - s["start"]))
            if best is None or key < best[0]:
                best = (key, i)
        if best:
            used.add(best[1])
        out.append((g, system[best[1]] if best else None))
    return out


def _same(field: str, want, got) -> bool:
    """The scorer's notion of a right field (indicators by word overlap, others exactly)."""
    shared = ROOT.parent / "shared" / "eval"
    if field == "indicator" and (shared / "score.py").exists():
        sys.path.insert(0, str(shared))
        from score import indicator_ok
        return indicator_ok(want, got)
    return str(want).lower() == str(got).lower()


def main() -> None:
    from nlp import extract
    from tests.eval_gate import context_of     # what the quality gate gives the extractor

    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("--field", choices=FIELDS)
    ap.add_argument("--doc")
    a = ap.parse_args()
    for line in Path(a.gold).read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if a.doc and g["doc_id"] != a.doc:
            continue
        out = extract(g["text"], doc_id=g["doc_id"], **context_of(g))
        for gm, sm in _pair(g["metrics"], out["metrics"]):
            if gm.get("optional"):
                continue
            if sm is None:
                print(f"{g['doc_id']} MISSED {gm['text']!r}")
                continue
            for f in ([a.field] if a.field else FIELDS):
                want, got = gm.get(f), sm.get(f)
                if want and not _same(f, want, got):
                    print(f"{g['doc_id']} {f:9s} {gm['text']!r}: gold {want!r} system {got!r}")


if __name__ == "__main__":
    main()
