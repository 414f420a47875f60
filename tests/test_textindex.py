"""Index terms: the load's vectorised counting equals the query side's terms, and the keys
computed in Python equal those computed in DuckDB (the 007 migration fills search_tf in SQL)."""
from __future__ import annotations

from collections import Counter

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.textindex import index_terms, key64, query_terms, term_frequencies, term_key

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "Ð0123456789 .,;:!?-–()/_\n\t«»%ßø€\u00a0\u2003\u3000\u200b\x1c\x85\u0300İΣ"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=80), min_size=1, max_size=5))
def test_vectorised_counts_equal_the_python_terms(texts):
    keys = list(range(100, 100 + len(texts)))
    n_terms, tf = term_frequencies(keys, texts)
    want = {(k, term_key(t)): n for k, text in zip(keys, texts) for t, n in Counter(index_terms(text).split()).items()}
    assert {(r["unit_key"], r["term_key"]): r["tf"] for r in tf.iter_rows(named=True)} == want
    assert n_terms.to_list() == [len(index_terms(t).split()) for t in texts]


def test_texts_too_many_for_one_code_range_are_counted_in_halves(monkeypatch):
    from pipelines import textindex

    texts = ["chi bộ họp", "đảng viên mới, chi bộ", "", "Zalo chi bộ 2025"]
    keys = [11, 12, 13, 14]
    whole = term_frequencies(keys, texts)
    monkeypatch.setattr(textindex, "CODE_LIMIT", 10)
    halves = term_frequencies(keys, texts)
    assert halves[0].to_list() == whole[0].to_list() == [5, 9, 0, 7]
    assert sorted(halves[1].rows()) == sorted(whole[1].rows())


def test_terms_fold_tones_and_add_bigrams():
    assert index_terms("Sinh hoạt Chi bộ ĐẢNG") == "sinh hoat chi bo dang sinh_hoat hoat_chi chi_bo bo_dang"
    assert query_terms("sinh hoat chi bo") == query_terms("Sinh hoạt chi bộ")
    n_terms, tf = term_frequencies([1], ["chi bộ, chi bộ"])
    assert n_terms.to_list() == [7] and tf.filter(tf["term_key"] == term_key("chi_bo"))["tf"].to_list() == [2]


def test_any_unicode_space_separates_words():
    assert index_terms("chi\u00a0bộ\u2003đảng") == index_terms("chi bộ đảng") == "chi bo dang chi_bo bo_dang"
    assert index_terms("2020–2025 (Bắc Ninh)") == "2020 2025 bac ninh 2020_2025 2025_bac bac_ninh"


def test_keys_are_the_same_in_python_and_duckdb():
    terms = ["chi", "dang", "chi_bo", "sinh_hoat", "đảng viên", ""]
    sql = duckdb.sql(
        "SELECT CASE WHEN contains(t, '_') THEN xor((md5_number_upper(split_part(t, '_', 1)) >> 1)::BIGINT, "
        "(md5_number_upper(split_part(t, '_', 2)) >> 2)::BIGINT) ELSE (md5_number_upper(t) >> 1)::BIGINT END "
        "FROM unnest(?::VARCHAR[]) WITH ORDINALITY u(t, i) ORDER BY i", params=[terms]).fetchall()
    assert [r[0] for r in sql] == [term_key(t) for t in terms]
    assert all(0 <= term_key(t) < 2 ** 63 for t in terms) and term_key("chi") == key64("chi")
