"""How right `xdd compare` is on a knowledge base built from gold passages: the share of rows
that are a province's stated total, and the share of provinces with a stated total that appear.

    python scripts/compare_eval.py GOLD.jsonl [GOLD.jsonl ...] [--indicator "đảng viên"]

The gold lines (with ``text``, ``url``, ``published``) are loaded as articles into a fresh
DuckDB file (extraction inline, as a crawl's output would be); a row is right when some gold
figure of the same province with measure ``total``, scope ``province`` and unit ``count`` has
its value and an indicator the scorer accepts. Prints one line per indicator.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
INDICATORS = ("đảng viên", "tổ chức cơ sở đảng")


def _gold_totals(golds: list[dict], indicator: str) -> dict[str, set[float]]:
    sys.path.insert(0, str(SHARED))
    sys.path.insert(0, str(ROOT))
    from score import norm_text

    from nlp.indicators import indicator_key
    want = indicator_key(indicator)
    out: dict[str, set[float]] = {}
    for g in golds:
        for m in g["metrics"]:
            if (m.get("measure") == "total" and m.get("scope") == "province" and m.get("unit") == "count"
                    and not m.get("optional") and m.get("locality") and indicator_key(m.get("indicator") or "") == want):
                out.setdefault(norm_text(m["locality"]), set()).add(float(m["value"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--indicator", action="append")
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.eval_gate import context_of     # the crawler's context, as the quality gate gives it

    golds = [json.loads(line) for f in a.gold for line in Path(f).read_text(encoding="utf-8").splitlines() if line.strip()]
    sys.path.insert(0, str(SHARED))
    from score import norm_text
    with tempfile.TemporaryDirectory() as tmp:
        arts, db = Path(tmp) / "articles.jsonl", Path(tmp) / "kb.duckdb"
        with arts.open("w", encoding="utf-8") as fh:
            for g in golds:
                fh.write(json.dumps({"doc_id": g["doc_id"], "text": g["text"], **context_of(g)},
                                    ensure_ascii=False) + "\n")
        xdd = [sys.executable, "-m", "pipelines"]
        subprocess.run([*xdd, "load", str(arts), "--db", str(db)], check=True, capture_output=True)
        for ind in a.indicator or INDICATORS:
            out = subprocess.run([*xdd, "compare", ind, "--db", str(db), "--format", "json"],
                                 capture_output=True, text=True, check=True)
            rows = json.loads(out.stdout or "[]")
            gold = _gold_totals(golds, ind)
            right = [r for r in rows if float(r["value"]) in gold.get(norm_text(r["province"]), set())]
            found = {norm_text(r["province"]) for r in right}
            wrong = [f"{r['province']} {r['value']:g} «{r.get('text')}»" for r in rows if r not in right]
            print(f"{ind}: rows {len(rows)}, right {len(right)} (precision {len(right) / max(1, len(rows)):.2f}); "
                  f"provinces with a stated total {len(gold)}, found {len(found)} (recall {len(found) / max(1, len(gold)):.2f})"
                  + (f"; wrong: {'; '.join(wrong)}" if wrong else ""))


if __name__ == "__main__":
    main()
