"""Rows built for the knowledge base from one extraction (pure functions)."""
from __future__ import annotations

from pipelines.facts import is_province_scope, practice_rows


def _ext():
    text = "Ở phường Bắc Giang, Đảng ủy phường lập nhóm Zalo chi bộ."
    ward = {"label": "LOC", "text": "phường Bắc Giang", "start": 3, "end": 19, "norm": "phường Bắc Giang",
            "province": "Bắc Giang", "province_2025": "Bắc Ninh", "level": "ward"}
    return {"province": "Bắc Ninh", "entities": [ward],
            "practices": [{"text": text, "start": 0, "end": len(text), "category": "chuyen_doi_so"}]}


def test_practice_province_is_named_as_at_the_article_date():
    assert practice_rows("d", _ext(), "2025-09-18T10:00:00+07:00")[0]["province"] == "Bắc Ninh"
    assert practice_rows("d", _ext(), "2023-03-01T10:00:00+07:00")[0]["province"] == "Bắc Giang"
    assert practice_rows("d", _ext(), None)[0]["province_2025"] == "Bắc Ninh"


def test_province_scope():
    assert is_province_scope("Đảng bộ tỉnh Bắc Giang", "Bắc Giang")
    assert is_province_scope("Bắc Giang", "Bắc Giang")
    assert not is_province_scope("Đảng bộ phường Bách Khoa", "Hà Nội")
    assert not is_province_scope(None, "Hà Nội")
