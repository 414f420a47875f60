"""A held-out set nothing is tuned on: ``data/gold/unseen/heldout_c.jsonl``, 14 real-style passages
(6 after the 2025 reorganisation, 8 naming no province) written and annotated, figures and
practices, by an annotator who never saw the extractor, scored once when it arrived (figure F1
1.000, locality 1.000, indicator 0.988, qualifier 1.000, period 0.927, scope 0.963, measure
0.878; practices recall 1.000, precision 0.852, category 0.808). Its floors are the issues'
targets: it is the estimate for unseen text, and a rule written to fix one of its passages
would spoil it (fix what it shows on the other sets instead)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.eval_gate import load_gold, score

GOLD = Path(__file__).resolve().parents[1] / "data" / "gold" / "unseen" / "heldout_c.jsonl"
FLOORS = {"metric_f1": 0.95, "metric_locality": 0.90, "metric_indicator": 0.90, "metric_qualifier": 0.90,
          "metric_period": 0.80, "metric_scope": 0.85, "metric_measure": 0.80,
          "practice_recall": 0.75, "practice_precision": 0.75, "practice_category": 0.75}


# heldout_d.jsonl: 14 more passages by another annotator who never saw the extractor (7 before and
# 7 after the reorganisation, 7 naming no province, 2 national), scored once on arrival at the end
# of session 8 and never tuned on: documents 1.000, figure F1 1.000, locality 1.000, indicator
# 1.000, qualifier 1.000, period 0.771, scope 0.958, measure 0.844; practices recall 1.000,
# precision 0.778, category 0.895. Two of its measures are under the issues' targets (period 0.80,
# measure 0.85): its floors are what it scored, so a change that makes unseen text worse fails.
GOLD_D = GOLD.with_name("heldout_d.jsonl")
FLOORS_D = {"metric_f1": 0.99, "metric_locality": 0.99, "metric_indicator": 0.99, "metric_qualifier": 0.99,
            "metric_period": 0.76, "metric_scope": 0.95, "metric_measure": 0.83,
            "practice_recall": 0.99, "practice_precision": 0.80, "practice_category": 0.89}   # precision 0.808 since session 10


# heldout_e.jsonl: 14 more by a third annotator (7 before and 7 after the reorganisation, 2 national),
# scored once on arrival in session 9 and never tuned on: documents 1.000, figure F1 0.995, locality
# 0.980, indicator 0.980, qualifier 0.990, period 0.647, scope 0.951, measure 0.833; practices
# recall 0.958, precision 0.828, category 0.783. Floors: its first scores, raised in session 10 to
# what it scores after rules learnt on other sets (period 0.784, measure 0.882, precision 0.857).
GOLD_E = GOLD.with_name("heldout_e.jsonl")
FLOORS_E = {"metric_f1": 0.99, "metric_locality": 0.97, "metric_indicator": 0.97, "metric_qualifier": 0.98,
            "metric_period": 0.78, "metric_scope": 0.95, "metric_measure": 0.87,
            "practice_recall": 0.95, "practice_precision": 0.88, "practice_category": 0.78}


# heldout_f.jsonl: 14 more by a fourth annotator (7 before and 7 after the reorganisation, 2
# national, 6 naming no province), scored once on arrival in session 10 and never tuned on:
# documents 1.000, figure F1 0.997, locality 1.000, indicator 0.965, qualifier 0.958, period 0.825,
# scope 0.965, measure 0.958; practices recall 0.875, precision 0.667, category 0.857 (precision
# under the issues' 0.75). Floors: its first scores.
GOLD_F = GOLD.with_name("heldout_f.jsonl")
FLOORS_F = {"metric_f1": 0.99, "metric_locality": 0.99, "metric_indicator": 0.96, "metric_qualifier": 0.95,
            "metric_period": 0.82, "metric_scope": 0.96, "metric_measure": 0.95,
            "practice_recall": 0.87, "practice_precision": 0.74, "practice_category": 0.85}   # 0.750 after real_o's and real_p's vetoes


@pytest.mark.parametrize("gold, floors, what", [(GOLD, FLOORS, "the issues' targets"),
                                                (GOLD_D, FLOORS_D, "its first scores"),
                                                (GOLD_E, FLOORS_E, "its first scores"),
                                                (GOLD_F, FLOORS_F, "its first scores")])
def test_unseen_gold_keeps_its_floors(gold, floors, what):
    s = score(load_gold(gold))
    low = {k: round(s[k], 3) for k, floor in floors.items() if s[k] < floor}
    assert not low, f"below {what}: {low}"
