"""Filtered searches on the demo knowledge base equal filtering the unfiltered results."""
from __future__ import annotations

import pytest

from pipelines import db
from pipelines.places import resolve_province
from pipelines.search import SearchFilters, search

QUERY = "sinh hoạt chi bộ"


def _key(hits):
    return [(h.kind, h.doc_id, h.start, h.score) for h in hits]


def _in_place(hit, provinces, provinces_2025) -> bool:
    return hit.province in provinces if provinces else hit.province_2025 in provinces_2025


@pytest.mark.parametrize("province,merged,kind", [("Bắc Giang", False, None), ("Bắc Ninh", True, None),
                                                  ("Nghệ An", False, "practice"), ("Cần Thơ", True, "article")])
def test_province_search_equals_filtering_every_result(demo_kb, province, merged, kind):
    with db.connect(demo_kb[0], read_only=True) as con:
        everything = search(con, QUERY, limit=100_000)
        provinces, provinces_2025 = resolve_province(con, province, merged)
        want = [h for h in everything if _in_place(h, provinces, provinces_2025) and (kind is None or h.kind == kind)]
        got = search(con, QUERY, SearchFilters(province=province, merged=merged, kind=kind))
    assert want, "the demo should have matches in this province"
    assert _key(got) == _key(want[:10])


def test_province_with_other_filters_uses_the_same_scores(demo_kb):
    with db.connect(demo_kb[0], read_only=True) as con:
        plain = search(con, QUERY, SearchFilters(province="Bắc Giang"))
        dated = search(con, QUERY, SearchFilters(province="Bắc Giang", since="1990-01-01"))
        later = search(con, QUERY, SearchFilters(province="Bắc Giang", since="2100-01-01"))
    assert plain and _key(dated) == _key(plain)
    assert later == []


@pytest.mark.parametrize("kind", [None, "practice", "article"])
def test_category_search_equals_filtering_every_result(demo_kb, kind):
    with db.connect(demo_kb[0], read_only=True) as con:
        everything = search(con, QUERY, limit=100_000)
        in_category = {r[0] for r in con.execute(
            "SELECT unit_id FROM search_units WHERE category = 'sinh_hoat_chi_bo' OR (kind = 'article' AND doc_id IN "
            "(SELECT doc_id FROM practices WHERE category = 'sinh_hoat_chi_bo'))").fetchall()}
        got = search(con, QUERY, SearchFilters(category="sinh_hoat_chi_bo", kind=kind), limit=5)
    unit = {("practice", h.doc_id, h.start): f"p:{h.doc_id}:{h.start}" for h in everything if h.kind == "practice"}
    def unit_id(h):
        return unit.get((h.kind, h.doc_id, h.start), f"a:{h.doc_id}")
    want = [h for h in everything if unit_id(h) in in_category and (kind is None or h.kind == kind)]
    assert len(want) >= 5
    assert _key(got) == _key(want[:5])


FILTERS = [SearchFilters(province="Bắc Giang", kind="practice"), SearchFilters(province="Bắc Ninh", merged=True),
           SearchFilters(since="2020-01-01"), SearchFilters(category="sinh_hoat_chi_bo", kind="article"),
           SearchFilters(source="dangcongsan", until="2030-12-31"), SearchFilters(document="05-CT/TW"),
           SearchFilters(province="Cần Thơ", merged=True, category="sinh_hoat_chi_bo")]


def test_filters_keep_the_unfiltered_scores(demo_kb):
    """A filter only keeps units: the scores are those of the unfiltered search (the engine's
    BM25 over the whole index)."""
    with db.connect(demo_kb[0], read_only=True) as con:
        everything = {(h.kind, h.doc_id, h.start): h.score for h in search(con, QUERY, limit=100_000)}
        for f in FILTERS:
            hits = search(con, QUERY, f)
            assert hits and all(everything[(h.kind, h.doc_id, h.start)] == h.score for h in hits)


def test_district_without_accents_finds_the_same(demo_kb):
    """`Dong Van` = `Đồng Văn` (đ folded too); LIKE's wildcards are plain characters."""
    with db.connect(demo_kb[0], read_only=True) as con:
        marked = _key(search(con, "chi bộ", SearchFilters(district="Đồng Văn")))
        plain = _key(search(con, "chi bộ", SearchFilters(district="Dong Van")))
        assert marked and plain == marked
        assert search(con, "chi bộ", SearchFilters(district="Đồng_Văn")) == []
        assert search(con, "chi bộ", SearchFilters(district="%")) == []


@pytest.mark.parametrize("district", ["Ninh Kiều", "ninh kieu"])
def test_district_search_equals_filtering_every_result(demo_kb, district):
    with db.connect(demo_kb[0], read_only=True) as con:
        everything = search(con, "đảng viên", limit=100_000)
        docs = {r[0] for r in con.execute("SELECT doc_id FROM places WHERE strip_accents(lower(name)) LIKE '%ninh kieu%'").fetchall()}
        got = search(con, "đảng viên", SearchFilters(district=district))
        with_document = search(con, "đảng viên", SearchFilters(district=district, document="05-CT/TW"), limit=100)
        cites = {r[0] for r in con.execute("SELECT doc_id FROM directives WHERE key = '05-CT/TW'").fetchall()}
    want = [h for h in everything if h.doc_id in docs]
    assert want and _key(got) == _key(want[:10])
    assert _key(with_document) == _key([h for h in want if h.doc_id in cites][:100])


def test_document_search_equals_filtering_every_result(demo_kb):
    with db.connect(demo_kb[0], read_only=True) as con:
        everything = search(con, QUERY, limit=100_000)
        cites = {r[0] for r in con.execute("SELECT doc_id FROM directives WHERE key = '05-CT/TW'").fetchall()}
        got = search(con, QUERY, SearchFilters(document="05-CT/TW"))
        practices = search(con, QUERY, SearchFilters(document="05-CT/TW", kind="practice"))
    want = [h for h in everything if h.doc_id in cites]
    assert len(want) >= 10 and _key(got) == _key(want[:10])
    assert _key(practices) == _key([h for h in want if h.kind == "practice"][:10])
