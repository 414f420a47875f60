"""Rows built for the knowledge base from one extraction (pure functions)."""
from __future__ import annotations

from datetime import datetime, timezone

from pipelines import db
from pipelines.load import table_columns
from pipelines.facts import is_province_scope, practice_rows, prepare_batch, sentence_rows, sha1


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


def test_sentences_come_from_the_extraction_when_it_has_them():
    text = "Chi bộ họp ngày 5. Đảng viên báo cáo."
    given = sentence_rows("d", text, [[0, 18], [19, len(text)]])
    assert [text[r["start"]:r["end"]] for r in given] == ["Chi bộ họp ngày 5.", "Đảng viên báo cáo."]
    # spans that do not fit the text are not trusted: the text is split again
    assert sentence_rows("d", text, [[0, 999]]) == given
    assert sentence_rows("d", text, None) == given


def test_prepared_batch_skips_unchanged_and_marks_updates(tmp_path):
    art = {"doc_id": "d1", "text": "Chi bộ họp định kỳ."}
    with db.connect(tmp_path / "kb.duckdb") as con:
        cols = table_columns(con)
    first = prepare_batch([(art, None)], {}, set(), datetime.now(timezone.utc), cols)
    assert first.statuses == ["new"] and first.frames["articles"].height == 1
    unit = first.frames["search_units"].row(0, named=True)
    # 5 syllables and 4 bigrams: the unit's length
    assert unit["n_terms"] == 9 and "search_tf" not in first.frames
    known = {"d1": (sha1(art["text"]), None)}
    assert prepare_batch([(art, None)], known, set(), datetime.now(timezone.utc), cols).unchanged == 1
    again = prepare_batch([(art, {"entities": []})], known, set(), datetime.now(timezone.utc), cols)
    assert again.statuses == ["updated"] and again.replaced == ["d1"]
    assert prepare_batch([(art, None)], {}, {"d1"}, datetime.now(timezone.utc), cols).replaced == ["d1"]


def test_frames_take_the_tables_types_and_null_what_does_not_fit():
    from pipelines.facts import frame

    columns = {"value": "DOUBLE", "start": "INTEGER", "text": "VARCHAR", "province_scope": "BOOLEAN"}
    good = frame("metrics", [{"value": 2.5, "start": 3, "text": "x", "province_scope": True}], columns)
    assert good.rows() == [(2.5, 3, "x", True)]
    odd = frame("metrics", [{"value": "nhiều", "start": 1}, {"value": 2, "start": "4"}], columns)
    assert odd.rows() == [(None, 1, None, None), (2.0, 4, None, None)]
