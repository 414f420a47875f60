"""`nlp.extract` runs the pipeline's stages without spaCy (nlp.stages): the same results as the
spaCy pipeline, byte for byte, and a fresh `xdd extract` process imports neither spaCy nor
underthesea nor scikit-learn, polars or DuckDB."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlp import stages
from nlp.article import FIELDS, ArticleMeta
from nlp.text import clean

ROOT = Path(__file__).resolve().parents[1]
GOLD = [ROOT / "data" / "gold" / name for name in ("real_a.jsonl", "real_b.jsonl", "heldout_a.jsonl", "heldout_b.jsonl")]
HEAVY = {"spacy", "thinc", "underthesea", "sklearn", "polars", "duckdb", "distributed", "torch"}
PROBE = """
import json, runpy, sys
sys.argv = ["xdd", "extract", *sys.argv[1:]]
try:
    runpy.run_module("pipelines", run_name="__main__")
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def records() -> list[dict]:
    rows = []
    for path in GOLD:
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            rows.append({k: r[k] for k in ("doc_id", "text", *FIELDS) if r.get(k) is not None})
    return rows


def test_stages_equal_the_spacy_pipeline():
    from nlp import spacy_pipeline as sp

    rows = records()
    assert len(rows) > 40
    for r in rows:
        text = clean(r["text"])
        meta = ArticleMeta.of(r["doc_id"], published=r.get("published"), url=r.get("url"))
        plain = stages.contract(stages.run(text, meta))
        doc = sp.process(text, meta=meta)
        assert json.dumps(plain, ensure_ascii=False) == json.dumps(sp.to_contract(doc), ensure_ascii=False), r["doc_id"]
        assert [e.label_ for e in doc.ents] and doc.has_annotation("SENT_START")   # the Doc still has its spans


def test_fresh_extract_process_skips_spacy_and_matches_the_pipeline(tmp_path):
    from nlp import spacy_pipeline as sp
    from nlp.batch import extract_file

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records()[:12]), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", PROBE, "--input", str(src), "--output", str(tmp_path / "fresh.jsonl"),
                           "--workers", "1"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = set(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert "nlp" in imported and not imported & HEAVY, imported & HEAVY
    sp.build_pipeline()                 # from now on this process extracts through spaCy
    stats = extract_file(src, tmp_path / "spacy.jsonl", workers=1, progress=False)
    assert stats["docs"] == 12
    assert (tmp_path / "fresh.jsonl").read_bytes() == (tmp_path / "spacy.jsonl").read_bytes()


@pytest.mark.parametrize("text", ["", "   ", "Chi bộ.", "Đảng bộ tỉnh Bắc Ninh có 70.592 đảng viên, 1.234 chi bộ."])
def test_stages_on_small_inputs(text):
    from nlp import spacy_pipeline as sp

    meta = ArticleMeta.of("x")
    assert stages.contract(stages.run(text, meta)) == sp.to_contract(sp.process(text, meta=meta))
