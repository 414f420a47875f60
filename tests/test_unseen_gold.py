"""A held-out set nothing is tuned on: ``data/gold/unseen/heldout_c.jsonl``, 14 real-style passages
(6 after the 2025 reorganisation, 8 naming no province) written and annotated, figures and
practices, by an annotator who never saw the extractor, scored once when it arrived (figure F1
1.000, locality 1.000, indicator 0.988, qualifier 1.000, period 0.927, scope 0.963, measure
0.878; practices recall 1.000, precision 0.852, category 0.808). Its floors are the issues'
targets: it is the estimate for unseen text, and a rule written to fix one of its passages
would spoil it (fix what it shows on the other sets instead)."""
from __future__ import annotations

from pathlib import Path

from tests.eval_gate import load_gold, score

GOLD = Path(__file__).resolve().parents[1] / "data" / "gold" / "unseen" / "heldout_c.jsonl"
FLOORS = {"metric_f1": 0.95, "metric_locality": 0.90, "metric_indicator": 0.90, "metric_qualifier": 0.90,
          "metric_period": 0.80, "metric_scope": 0.85, "metric_measure": 0.80,
          "practice_recall": 0.75, "practice_precision": 0.75, "practice_category": 0.75}


def test_unseen_gold_meets_the_issues_targets():
    s = score(load_gold(GOLD))
    low = {k: round(s[k], 3) for k, floor in FLOORS.items() if s[k] < floor}
    assert not low, f"below the target: {low}"
