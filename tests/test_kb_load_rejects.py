"""Inline extraction during `xdd load`: an article whose extraction fails is counted and left
out; every other article keeps its own extraction (no shift between articles)."""
from __future__ import annotations

import json

import duckdb

from pipelines.run import load_files


def test_failed_extraction_is_counted_and_never_shifts_the_others(tmp_path):
    arts = [
        {"doc_id": "a1", "url": "https://baobacgiang.vn/a1", "text": "Đảng bộ tỉnh Bắc Giang có 70.100 đảng viên."},
        # over the per-document character limit: a counted too_large reject
        {"doc_id": "a2", "url": "https://baobacgiang.vn/a2", "text": "Đảng viên. " * 20_000},
        {"doc_id": "a3", "url": "https://baonamdinh.vn/a3", "text": "Đảng bộ tỉnh Nam Định có 120.517 đảng viên."},
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in arts) + "\n", encoding="utf-8")
    db = tmp_path / "kb.duckdb"
    report = load_files(db, path, workers=1)
    assert report.new == 2
    assert any(reason.startswith("too_large") for reason in report.skipped), report.skipped
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT doc_id, value FROM metrics ORDER BY doc_id").fetchall()
        stored = {r[0] for r in con.execute("SELECT doc_id FROM articles").fetchall()}
    assert rows == [("a1", 70100), ("a3", 120517)]
    assert stored == {"a1", "a3"}
