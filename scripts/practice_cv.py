"""5-fold cross-validation of the practice models: python scripts/practice_cv.py [--json] [--prior=W].

Folds are grouped by the example's wording (its last 40 characters), so one clause written
with different subjects never sits in both train and test. Prints accuracy and macro-F1 of the
category classifier (SVM plus keyword priors of practice_cues.csv, weight W or the production
PRIOR_WEIGHT; practice examples only) and of the detector (all examples), the detector
alone and blended with the cue rules at the production threshold; then the same on the
real-style examples alone (``source`` ``written_real``: sentences written after reading real
provincial articles, with exhortations, plans, event reports and bare results as negatives).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import practices  # noqa: E402


def group_of(text: str) -> str:
    return text.rstrip(". ")[-40:].lower()


def cross_validate(rows: list[dict], folds: int = 5, prior_weight: float | None = None) -> dict:
    """Out-of-fold predictions of every model, scored."""
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import GroupKFold

    texts = [r["text"] for r in rows]
    is_prac = np.array([bool(r.get("is_practice")) for r in rows])
    cats = np.array([r.get("category") or "" for r in rows])
    det_pred, blend_pred = np.zeros(len(rows), bool), np.zeros(len(rows), bool)
    cat_pred = np.array([""] * len(rows), dtype=object)
    for train, test in GroupKFold(n_splits=folds).split(texts, groups=[group_of(t) for t in texts]):
        m = practices.fit_models([rows[i] for i in train])
        x = m.vectorizer.transform([texts[i] for i in test])
        prob = m.detector.predict_proba(x)[:, list(m.detector.classes_).index(True)]
        det_pred[test] = prob >= 0.5
        blend_pred[test] = [practices._blend(float(p), texts[i]) >= practices.THRESHOLD
                            for p, i in zip(prob, test)]
        cat_pred[test] = practices.categorize(x, [texts[i] for i in test], m, prior_weight)
    pos = is_prac & np.isin(cats, practices.CATEGORIES)
    real = np.array([r.get("source") == "written_real" for r in rows])
    real_pos = pos & real
    return {
        "real_style_examples": int(real.sum()),
        "real_style_detector_blend_accuracy": accuracy_score(is_prac[real], blend_pred[real]) if real.any() else None,
        "real_style_detector_blend_macro_f1": f1_score(is_prac[real], blend_pred[real], average="macro")
        if real.any() else None,
        "real_style_category_accuracy": accuracy_score(cats[real_pos], cat_pred[real_pos].astype(str))
        if real_pos.any() else None,
        "examples": len(rows), "practice_examples": int(pos.sum()), "folds": folds,
        "category_accuracy": accuracy_score(cats[pos], cat_pred[pos].astype(str)),
        "category_macro_f1": f1_score(cats[pos], cat_pred[pos].astype(str), average="macro"),
        "detector_accuracy": accuracy_score(is_prac, det_pred),
        "detector_macro_f1": f1_score(is_prac, det_pred, average="macro"),
        "detector_blend_accuracy": accuracy_score(is_prac, blend_pred),
        "detector_blend_macro_f1": f1_score(is_prac, blend_pred, average="macro"),
    }


def main() -> None:
    weight = next((float(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--prior=")), None)
    res = cross_validate(list(practices.load_examples()), prior_weight=weight)
    if "--json" in sys.argv:
        print(json.dumps(res, indent=2))
        return
    print(f"{res['examples']} examples ({res['practice_examples']} practices), "
          f"{res['folds']}-fold grouped cross-validation")
    print(f"{'model':28s} {'accuracy':>9s} {'macro-F1':>9s}")
    for name, key in (("category (LinearSVC)", "category"), ("detector (LogReg)", "detector"),
                      ("detector + cue rules", "detector_blend")):
        print(f"{name:28s} {res[key + '_accuracy']:9.3f} {res[key + '_macro_f1']:9.3f}")
    if res["real_style_examples"]:
        print(f"real-style examples only ({res['real_style_examples']}): detector + cue rules accuracy "
              f"{res['real_style_detector_blend_accuracy']:.3f}, macro-F1 {res['real_style_detector_blend_macro_f1']:.3f}; "
              f"category accuracy {res['real_style_category_accuracy']:.3f}")


if __name__ == "__main__":
    main()
