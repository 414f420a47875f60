"""Collect hand-labelled practice sentences from the project's own annotated articles into
training data for the practice classifier:

    python scripts/build_practice_examples.py   # writes data/reference/practice_examples_articles.jsonl

Sources: the demo site's expected facts and the development held-out gold (heldout_a).
heldout_b is never used: it stays blind for measuring.
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "reference" / "practice_examples_articles.jsonl"


def demo_rows() -> list[dict]:
    facts = json.loads((ROOT / "data" / "demo_site" / "expected_facts.json").read_text(encoding="utf-8"))
    return [{"text": p["text"], "is_practice": True, "category": p["category"], "source": "demo_site"}
            for a in facts["articles"] for p in a.get("practices", [])]


def gold_rows(path: Path) -> list[dict]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        rows += [{"text": p["text"], "is_practice": True, "category": p["category"], "source": path.stem}
                 for p in g.get("practices", []) if not p.get("optional")]
    return rows


def main() -> None:
    rows = demo_rows() + gold_rows(ROOT / "data" / "gold" / "heldout_a.jsonl")
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} examples to {OUT}")


if __name__ == "__main__":
    main()
