"""Properties of nlp.extract on arbitrary input: never raises, every span indexes the text."""
from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp import extract
from nlp.text import clean

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

WORDS = ["Đảng ủy", "phường", "Bách Khoa", "Tỉnh uỷ", "Ban Thường vụ", "chi bộ", "đảng viên",
         "có", "gần", "hơn", "khoảng", "%", "0,7%", "481.406", "15 nghìn", "Chỉ thị", "05-CT/TƯ",
         "Nghị quyết Trung ương 4 (khóa XII)", "số", "12-HD/BTCTƯ", "ngày", "6-7-2018", "năm 2017",
         "TP.", "Hồ Chí Minh", "Hà Nội", "quận", "huyện", "xã", "thí điểm", "mô hình", ".", ",",
         "…", "“", "”", "(", ")", "\n", "\n\n", "  ", "Ð", "ủy", "uỷ", "Q.", "PGS.TS.", "nhiệm kỳ 2015-2020"]

viet_text = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)
any_text = st.text(max_size=300)
mixed = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8),
                           st.integers(0, 10**7).map(str)), max_size=40).map(" ".join)

LISTS = ("entities", "directives", "metrics", "practices")


def _check(text: str) -> None:
    out = extract(text, doc_id="p")
    assert isinstance(out, dict) and out["doc_id"] == "p"
    norm = clean(text)
    assert unicodedata.is_normalized("NFC", norm)
    for key in LISTS:
        assert isinstance(out[key], list)
        for item in out[key]:
            s, e = item["start"], item["end"]
            assert 0 <= s <= e <= len(norm)
            assert norm[s:e] == item["text"], (key, item)


@SETTINGS
@given(any_text)
def test_random_unicode(text):
    _check(text)


@SETTINGS
@given(viet_text)
def test_vietnamese_like(text):
    _check(text)


@SETTINGS
@given(mixed)
def test_mixed_numbers_codes(text):
    _check(text)


def test_non_string_input_never_raises():
    for bad in (None, 42, b"\xff\xfe", ["x"], "", "   \n"):
        out = extract(bad)  # type: ignore[arg-type]
        assert all(out[k] == [] for k in LISTS) or isinstance(bad, bytes)
