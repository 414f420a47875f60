"""Search and compare over a real DuckDB knowledge base built from hand-made records."""
from __future__ import annotations

import pytest

from pipelines import compare, db
from pipelines.errors import UnknownIndicator, XddError
from pipelines.run import load_records
from pipelines.search import SearchFilters, highlight, search
from tests import kb_helpers


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    path = tmp_path_factory.mktemp("kb") / "kb.duckdb"
    conflicting = dict(kb_helpers.articles()[1], doc_id="t4", url="http://example.vn/d-4.html",
                       text="Đảng bộ tỉnh Nam Định có 104.500 đảng viên.")
    ext = {"doc_id": "t4", "province": "Nam Định", "entities": [], "directives": [], "practices": [],
           "metrics": [kb_helpers.span(conflicting["text"], "104.500 đảng viên", value=104500, unit="count",
                                       qualifier="exact", indicator="đảng viên", subject="Đảng bộ tỉnh Nam Định",
                                       locality="Nam Định", period="2022", scope="province", measure="total")]}
    load_records(path, kb_helpers.pairs() + [(conflicting, ext)])
    with db.connect(path, read_only=True) as con:
        yield con


def _ids(hits):
    return [(h.kind, h.doc_id) for h in hits]


def test_tone_marks_do_not_matter(kb):
    assert _ids(search(kb, "sinh hoạt chi bộ")) == _ids(search(kb, "sinh hoat chi bo"))
    assert search(kb, "SINH HOẠT CHI BỘ")[0].doc_id == "t1"


def test_phrase_ranks_first(kb):
    hits = search(kb, "sinh hoạt chi bộ", SearchFilters(kind="article"))
    assert hits[0].doc_id == "t1"   # holds the phrase; t2 has the syllables apart
    assert "«sinh» «hoạt» «chi» «bộ»" in hits[0].highlighted


def test_practice_hits_carry_place_and_category(kb):
    hits = search(kb, "chuyên đề", SearchFilters(kind="practice"))
    assert hits and hits[0].category == "sinh_hoat_chi_bo" and hits[0].province == "Bắc Giang"
    assert hits[0].sentence.startswith("Huyện ủy Tân Yên")


def test_filters(kb):
    assert {h.doc_id for h in search(kb, "đảng viên", SearchFilters(province="Nam Định"))} == {"t2", "t4"}
    assert {h.doc_id for h in search(kb, "đảng viên", SearchFilters(since="2023-01-01"))} == {"t1"}
    assert search(kb, "chi bộ", SearchFilters(category="chuyen_doi_so"))[0].doc_id == "t3"
    assert search(kb, "đảng viên", SearchFilters(document="05-CT/TW")) == []


def test_merged_province_finds_former_province(kb):
    provinces = kb.execute("SELECT count(*) FROM provinces").fetchone()[0]
    if not provinces:
        pytest.skip("gazetteer not loaded")
    merged = {h.doc_id for h in search(kb, "đảng viên", SearchFilters(province="Bắc Ninh", merged=True))}
    assert "t1" in merged
    assert search(kb, "đảng viên", SearchFilters(province="Bắc Ninh")) == []
    with pytest.raises(XddError):
        search(kb, "đảng viên", SearchFilters(province="Atlantis"))


def test_empty_or_symbol_query_returns_nothing(kb):
    assert search(kb, "") == [] and search(kb, "!!! ...") == []


def test_highlight_is_tone_insensitive():
    assert highlight("Sinh hoạt chi bộ", "sinh hoat") == "«Sinh» «hoạt» chi bộ"


def test_compare_flags_conflicts_and_keeps_latest(kb):
    df = compare.figures(kb, "đảng viên", unit="count")
    nd = df.filter(df["province"] == "Nam Định")
    assert nd.height == 2 and nd["conflict"].all()
    latest = compare.latest(df)
    assert set(latest["province"]) == {"Bắc Giang", "Nam Định"}
    bg = latest.filter(latest["province"] == "Bắc Giang").to_dicts()[0]
    assert bg["value"] == 70100 and bg["period"] == "2023" and bg["source"].endswith("a-1.html")


def test_compare_ratio(kb):
    df = compare.ratio(kb, "đảng viên", "chi bộ")
    row = df.filter(df["province"] == "Bắc Giang").to_dicts()[0]
    assert row["ratio"] == pytest.approx(70100 / 4000, rel=1e-2)


def test_unknown_indicator_is_an_error(kb):
    with pytest.raises(UnknownIndicator):
        compare.figures(kb, "số con mèo")


def test_latest_table_in_sql_matches_polars(kb):
    fast = compare.latest_table(kb, "đảng viên", unit="count")
    slow = compare.latest(compare.figures(kb, "đảng viên", unit="count"))
    cols = ["province", "period", "conflict", "n_values"]   # value: any of a conflicting period
    assert fast.select(cols).sort("province").to_dicts() == slow.select(cols).sort("province").to_dicts()
