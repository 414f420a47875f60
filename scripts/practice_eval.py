"""How right the knowledge base's practice records are on gold passages, as the practices issue
counts it: the share of annotated practices that a stored record overlaps with the right province
(as named when the article appeared), and the share of stored records that overlap an annotated
practice; with the category right of those found.

    python scripts/practice_eval.py GOLD.jsonl [GOLD.jsonl ...]

The gold lines (``text``, ``url``, ``published``; the article's ``province``) are loaded as a
crawl's output into a fresh DuckDB file (extraction inline) and read back with
``xdd practices --format json``. Gold practices marked ``optional`` neither reward nor punish.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _province_key(name: str | None) -> str:
    """A province name compared as the scorer does: folded, without 'TP.' / 'Thành phố' / 'Tỉnh'."""
    sys.path.insert(0, str(ROOT))
    from nlp.text import fold
    return re.sub(r"^(?:tp\.?|thanh pho|tinh)\s+", "", fold(name or "").strip())


def _overlap(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def score(golds: list[dict], records: list[dict]) -> dict:
    by_doc: dict[str, list[dict]] = {}
    for r in records:
        for s in r["sources"]:                 # a syndicated record counts for each of its articles
            by_doc.setdefault(s["doc_id"], []).append({**s, "province": r["province"], "category": r["category"]})
    found = placed = right_cat = annotated = 0
    stored = stored_hit = 0
    for g in golds:
        gold = [p for p in g.get("practices", []) if not p.get("optional")]
        optional = [p for p in g.get("practices", []) if p.get("optional")]
        recs = by_doc.get(g["doc_id"], [])
        for r in recs:
            if any(_overlap(r, p) for p in optional) and not any(_overlap(r, p) for p in gold):
                continue
            stored += 1
            stored_hit += any(_overlap(r, p) for p in gold)
        for p in gold:
            annotated += 1
            hits = [r for r in recs if _overlap(r, p)]
            if hits:
                found += 1
                right_cat += hits[0]["category"] == p["category"]
                province = p.get("province", g.get("province"))
                placed += any(_province_key(r["province"]) == _province_key(province) for r in hits)
    return {"annotated": annotated, "stored": stored,
            "found_right_province": placed / max(1, annotated), "recall": found / max(1, annotated),
            "precision": stored_hit / max(1, stored), "category": right_cat / max(1, found)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="+")
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.eval_gate import context_of     # the crawler's context, as the quality gate gives it

    golds = [json.loads(line) for f in a.gold for line in Path(f).read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        arts, db = Path(tmp) / "articles.jsonl", Path(tmp) / "kb.duckdb"
        with arts.open("w", encoding="utf-8") as fh:
            for g in golds:
                fh.write(json.dumps({"doc_id": g["doc_id"], "text": g["text"], **context_of(g)}, ensure_ascii=False) + "\n")
        xdd = [sys.executable, "-m", "pipelines"]
        subprocess.run([*xdd, "load", str(arts), "--db", str(db)], check=True, capture_output=True)
        out = subprocess.run([*xdd, "practices", "--db", str(db), "--format", "json", "--limit", "100000"],
                             capture_output=True, text=True, check=True)
    s = score(golds, json.loads(out.stdout or "[]"))
    print(f"practices: {s['annotated']} annotated, {s['stored']} stored; found with the right province "
          f"{s['found_right_province']:.3f}, found {s['recall']:.3f}, stored that are practices "
          f"{s['precision']:.3f}, category right of found {s['category']:.3f}")


if __name__ == "__main__":
    main()
