"""NLP quality gate: extraction scores on the gold sets must not fall below pinned floors.

    python -m tests.eval_gate                      # check (exit 1 on a regression)
    python -m tests.eval_gate --report             # score.py's table, then the check
    python -m tests.eval_gate --update             # re-pin floors (never lowers one ...)
    python -m tests.eval_gate --update --allow-regression   # ... unless told to

Gold sets, each scored and pinned on its own: ``dev`` = ``../shared/eval/dev.jsonl`` (texts in
``../shared/corpus/seeds``) and every ``data/gold/<name>.jsonl`` in the same format, each line
carrying its ``text`` or a ``source_file`` (``heldout_b`` is never used for tuning). Scores come
from ``../shared/eval/score.py --json``. A floor is the issue's target where the score reaches
it, else the current score minus EPSILON. The baseline stores each set's sha256, so a changed
gold set cannot silently move its scores. Under pytest, ``test_eval_gate`` runs the check and
skips when ``../shared`` is absent.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BASELINE = Path(__file__).resolve().parent / "eval_baseline.json"
GOLD_DIR = ROOT / "data" / "gold"
EPSILON = 0.005
MEASURES = ("directive_key_f1", "metric_f1", "metric_locality", "metric_indicator", "metric_period",
            "metric_scope", "metric_measure", "org_overlap_f1", "loc_overlap_f1", "practice_recall",
            "practice_precision", "practice_category")
# Targets from the figures and practices issues (12, 13): on real text; below a target the floor
# is the current score - EPSILON.
TARGETS = {"directive_key_f1": 0.95, "metric_f1": 0.95, "metric_locality": 0.90, "metric_indicator": 0.90,
           "metric_period": 0.80, "metric_scope": 0.85, "metric_measure": 0.85,
           "org_overlap_f1": 0.95, "loc_overlap_f1": 0.90, "practice_recall": 0.75,
           "practice_precision": 0.75, "practice_category": 0.80}
# What a crawler hands the extractor besides the text (dev_real lines carry their URL).
CONTEXT = ("published", "url", "source", "title", "lead")


# ------------------------------------------------------------------ gold
def gold_sets() -> dict[str, Path]:
    shared = {"dev": SHARED / "eval" / "dev.jsonl", "dev_real": SHARED / "eval" / "dev_real.jsonl"}
    sets = {name: path for name, path in shared.items() if path.exists()}
    return {**sets, **{p.stem: p for p in sorted(GOLD_DIR.glob("*.jsonl"))}}


def context_of(g: dict) -> dict:
    """The crawler's context of a gold line: its URL, the URL's host as ``source`` (unless
    given), title, lead and publication date."""
    from urllib.parse import urlsplit

    ctx = {k: g[k] for k in CONTEXT if isinstance(g.get(k), str) and g[k].strip()}
    if "source" not in ctx and "url" in ctx:
        host = urlsplit(ctx["url"]).hostname
        if host:
            ctx["source"] = host
    return ctx


def _text_for(g: dict, gold_file: Path) -> str | None:
    if isinstance(g.get("text"), str):
        return g["text"]
    name = g.get("source_file")
    if not isinstance(name, str):
        return None
    for base in (gold_file.parent, SHARED / "corpus" / "seeds"):
        if (base / name).is_file():
            return (base / name).read_text(encoding="utf-8")
    return None


def load_gold(f: Path) -> list[tuple[dict, str]]:
    """(gold line, article text) for every usable gold document of one file (blank or bad
    lines and documents without a text are skipped; the first doc_id wins)."""
    out, seen = [], set()
    for line in f.read_text(encoding="utf-8").splitlines():
        try:
            g = json.loads(line)
        except ValueError:
            continue
        text = _text_for(g, f) if isinstance(g, dict) else None
        if text is None or g.get("doc_id") in seen:
            continue
        seen.add(g.get("doc_id"))
        out.append((g, text))
    return out


def gold_sha256(gold: list[tuple[dict, str]]) -> str:
    """Hash of the gold annotations and their texts, in order."""
    h = hashlib.sha256()
    for g, text in gold:
        h.update(json.dumps(g, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        h.update(text.encode("utf-8"))
    return h.hexdigest()


# ------------------------------------------------------------------ scoring
def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def score(gold: list[tuple[dict, str]], table: bool = False) -> dict:
    """Run nlp.extract on the gold texts and score.py on the result (flat JSON dict)."""
    from nlp import extract

    system = [extract(text, doc_id=g.get("doc_id"), **context_of(g)) for g, text in gold]
    with tempfile.TemporaryDirectory() as tmp:
        gpath, spath = Path(tmp) / "gold.jsonl", Path(tmp) / "system.jsonl"
        _write_jsonl(gpath, [{k: v for k, v in g.items() if k != "text"} for g, _ in gold])
        _write_jsonl(spath, system)
        scorer = [sys.executable, str(SHARED / "eval" / "score.py"), str(gpath), str(spath)]
        if table:
            subprocess.run(scorer, check=False)
        out = subprocess.run([*scorer, "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


# ------------------------------------------------------------------ baseline
def load_baseline() -> dict:
    return json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}


def new_floor(measure: str, value: float) -> float:
    target = TARGETS.get(measure)
    if target is not None and value >= target:
        return target
    return round(max(0.0, value - EPSILON), 4)


def failures(name: str, scores: dict, pinned: dict, sha: str) -> list[str]:
    """Why the gate fails for one gold set (empty when it passes)."""
    out = []
    if pinned.get("gold_sha256") != sha:
        out.append(f"{name}: gold data changed since the baseline was pinned: run "
                   "`python -m tests.eval_gate --update` and review the new floors")
    for m, floor in pinned.get("floors", {}).items():
        v = scores.get(m)
        if v is None or v < floor - 1e-9:
            out.append(f"{name}: {m} = {v} is below its floor {floor}")
    return out


def update(results: dict[str, tuple[dict, str]], baseline: dict, allow_regression: bool) -> list[str]:
    """Write new floors for every set atomically; returns the floors it refused to lower."""
    sets, lowered = {}, []
    for name, (scores, sha) in results.items():
        old = baseline.get("sets", {}).get(name, {}).get("floors", {})
        # a set without annotations for a measure (score None) gets no floor for it
        floors = {m: new_floor(m, float(scores[m])) for m in MEASURES if scores.get(m) is not None}
        lowered += [f"{name} {m}: {old[m]} -> {floors[m]}" for m in MEASURES if m in old and m in floors and floors[m] < old[m]]
        sets[name] = {"gold_sha256": sha, "floors": floors, "scores": {m: scores.get(m) for m in MEASURES}}
    if lowered and not allow_regression:
        return lowered
    data = {"epsilon": EPSILON, "targets": TARGETS, "sets": sets}
    fd, tmp = tempfile.mkstemp(dir=BASELINE.parent, suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    os.replace(tmp, BASELINE)
    return []


def print_check(name: str, scores: dict, pinned: dict) -> None:
    print(f"{name:20s} {'score':>7s} {'floor':>7s}")
    for m in MEASURES:
        v, f = scores.get(m), pinned.get("floors", {}).get(m)
        flag = "" if f is None or (v is not None and v >= f - 1e-9) else "  << below floor"
        print(f"{m:20s} {v if v is None else f'{v:7.3f}'} {'-' if f is None else f'{f:7.3f}'}{flag}")


# ------------------------------------------------------------------ entry points
def test_eval_gate():
    import pytest

    if not (SHARED / "eval" / "score.py").exists():
        pytest.skip("../shared is absent")
    baseline = load_baseline().get("sets", {})
    problems = []
    for name, path in gold_sets().items():
        gold = load_gold(path)
        problems += failures(name, score(gold), baseline.get(name, {}), gold_sha256(gold))
    assert not problems, "\n".join(problems)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--update", action="store_true", help="re-pin the floors")
    ap.add_argument("--allow-regression", action="store_true", help="let --update lower a floor")
    ap.add_argument("--report", action="store_true", help="print score.py's table first")
    args = ap.parse_args(argv)
    if not (SHARED / "eval" / "score.py").exists():
        print(f"skipped: {SHARED} is absent", file=sys.stderr)
        return 0
    results = {}
    for name, path in gold_sets().items():
        gold = load_gold(path)
        if args.report:
            print(f"== {name} ({len(gold)} documents)")
        results[name] = (score(gold, table=args.report), gold_sha256(gold))
    baseline = load_baseline()
    if args.update:
        refused = update(results, baseline, args.allow_regression)
        if refused:
            print("refusing to lower floors (use --allow-regression):\n  " + "\n  ".join(refused),
                  file=sys.stderr)
            return 1
        baseline = load_baseline()
        print(f"floors written to {BASELINE}")
    problems = []
    for name, (scores, sha) in results.items():
        pinned = baseline.get("sets", {}).get(name, {})
        print_check(name, scores, pinned)
        problems += failures(name, scores, pinned, sha)
    for p in problems:
        print("FAIL: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
