"""ORG/LOC F1 of off-the-shelf underthesea `ner` vs `nlp.entities.find_entities` on the dev gold.

    python scripts/baseline_underthesea_ner.py [--gold FILE] [--only ours|underthesea] [--per-doc]

underthesea tokens tagged B-/I-ORG and B-/I-LOC are mapped back to character offsets
(tokens are located in the text left to right) and merged into spans; both systems are
scored with ../shared/eval/score.py (entities only).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from nlp.text import clean  # noqa: E402


def _locate(text: str, token: str, pos: int) -> tuple[int, int] | None:
    """Offsets of ``token`` at or after ``pos``; underthesea joins syllables with spaces
    or underscores, so fall back to the first syllable's position."""
    for cand in (token, token.replace("_", " ")):
        i = text.find(cand, pos)
        if i >= 0 and i - pos < 200:
            return i, i + len(cand)
    return None


def underthesea_spans(text: str) -> list[dict]:
    """ORG/LOC spans from underthesea.ner, line by line."""
    from underthesea import ner
    out, offset = [], 0
    for line in text.split("\n"):
        pos, cur = 0, None
        for tok, *_, tag in (ner(line) if line.strip() else []):
            loc = _locate(line, tok, pos)
            if loc is None:
                continue
            pos = loc[1]
            label = tag[2:] if tag[:2] in ("B-", "I-") else None
            if label in ("ORG", "LOC") and tag.startswith("I-") and cur and cur["label"] == label:
                cur["end"] = offset + loc[1]
            elif label in ("ORG", "LOC"):
                cur = {"label": label, "start": offset + loc[0], "end": offset + loc[1]}
                out.append(cur)
            else:
                cur = None
        offset += len(line) + 1
    for e in out:
        e["text"] = text[e["start"]:e["end"]]
    return out


def ours(text: str) -> list[dict]:
    from nlp.entities import find_entities
    return find_entities(text)


def score(system: str, per_doc: bool, gold: Path) -> dict:
    out = Path(f"/tmp/xdd_ner_{system}.jsonl")
    fn = ours if system == "ours" else underthesea_spans
    elapsed = chars = 0
    with out.open("w", encoding="utf-8") as fh:
        for line in gold.read_text(encoding="utf-8").splitlines():
            g = json.loads(line)
            text = clean(g["text"] if "text" in g else
                         (SHARED / "corpus" / "seeds" / g["source_file"]).read_text(encoding="utf-8"))
            t0 = time.perf_counter()
            ents = fn(text)
            elapsed += time.perf_counter() - t0
            chars += len(text)
            fh.write(json.dumps({"doc_id": g["doc_id"], "entities": ents}, ensure_ascii=False) + "\n")
    args = [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(out), "--json"]
    res = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    res["seconds"], res["chars"] = elapsed, chars
    if per_doc:
        subprocess.run(args[:-1] + ["--per-doc"])
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["ours", "underthesea"])
    ap.add_argument("--per-doc", action="store_true")
    ap.add_argument("--gold", type=Path, default=SHARED / "eval" / "dev.jsonl")
    a = ap.parse_args()
    systems = [a.only] if a.only else ["underthesea", "ours"]
    results = {s: score(s, a.per_doc, a.gold) for s in systems}
    keys = [f"{k}_{m}" for k in ("org_exact", "org_overlap", "loc_exact", "loc_overlap")
            for m in ("p", "r", "f1")]
    print(f"{'measure':<18}" + "".join(f"{s:>13}" for s in systems))
    for k in keys + ["seconds"]:
        print(f"{k:<18}" + "".join(f"{results[s][k]:>13.3f}" for s in systems))


if __name__ == "__main__":
    main()
