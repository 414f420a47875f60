"""Index terms: one tokenization (nlp.text.fold, then runs of ASCII letters and digits, then
bigrams), used by the index and by queries."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.text import fold
from pipelines.textindex import SYLLABLE, index_terms, key64, n_terms, query_terms, syllables

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "Ð0123456789 .,;:!?-–()/_\n\t«»%ßø€\u00a0\u2003\u3000\u200b\x1c\x85\u0300İΣ"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_terms_are_the_folded_syllables_and_their_bigrams(text):
    sylls = SYLLABLE.findall(fold(text).replace("\u00a0", " "))
    assert syllables(text) == [s for chunk in text.split(" ") for s in SYLLABLE.findall(fold(chunk))]
    assert syllables(text) == sylls
    terms = index_terms(text).split()
    assert terms == sylls + [f"{a}_{b}" for a, b in zip(sylls, sylls[1:])]
    assert n_terms(text) == len(terms)
    assert all(t.isascii() for t in terms)


def test_terms_fold_tones_and_add_bigrams():
    assert index_terms("Sinh hoạt Chi bộ ĐẢNG") == "sinh hoat chi bo dang sinh_hoat hoat_chi chi_bo bo_dang"
    assert query_terms("sinh hoat chi bo") == query_terms("Sinh hoạt chi bộ")
    assert index_terms("Đồng Văn") == index_terms("dong van") == "dong van dong_van"
    assert n_terms("chi bộ, chi bộ") == 7


def test_any_unicode_space_separates_words():
    assert index_terms("chi\u00a0bộ\u2003đảng") == index_terms("chi bộ đảng") == "chi bo dang chi_bo bo_dang"
    assert index_terms("2020–2025 (Bắc Ninh)") == "2020 2025 bac ninh 2020_2025 2025_bac bac_ninh"


def test_key64_is_duckdbs_md5_number_upper_halved():
    import duckdb

    got = duckdb.sql("SELECT (md5_number_upper('a:t1|x') >> 1)::BIGINT").fetchone()[0]
    assert got == key64("a:t1|x")
