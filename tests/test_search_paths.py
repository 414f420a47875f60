"""The fast search paths (impact lists; one province's postings) agree with exhaustive scoring."""
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
        everything = search(con, QUERY, limit=100_000)       # the demo is small: impact lists hold every posting
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
            "SELECT unit_id FROM search_unit_categories JOIN search_units USING (unit_key) "
            "WHERE search_unit_categories.category = 'sinh_hoat_chi_bo'").fetchall()}
        got = search(con, QUERY, SearchFilters(category="sinh_hoat_chi_bo", kind=kind), limit=5)
    unit = {("practice", h.doc_id, h.start): f"p:{h.doc_id}:{h.start}" for h in everything if h.kind == "practice"}
    def unit_id(h):
        return unit.get((h.kind, h.doc_id, h.start), f"a:{h.doc_id}")
    want = [h for h in everything if unit_id(h) in in_category and (kind is None or h.kind == kind)]
    assert len(want) >= 5
    assert _key(got) == _key(want[:5])
