"""Vietnamese number parsing (nlp.numbers)."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from nlp.numbers import parse_digits, parse_number, parse_words


@pytest.mark.parametrize("text, expected", [
    ("481.406", 481406), ("0,7", 0.7), ("15 nghìn", 15000), ("1,2 triệu", 1.2e6),
    ("1.234,5 tỷ", 1.2345e12), ("93,3%", 93.3), ("969", 969), ("2 vạn", 20000),
    ("ba", 3), ("mười", 10), ("hai mươi mốt", 21), ("một trăm linh năm", 105),
    ("hai mươi mốt nghìn không trăm mười một", 21011), ("1,200", 1200),
])
def test_parse_number(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("bad", ["", "   ", "abc", "05-CT/TW", "1.2.3", None, 42, "ba con mèo"])
def test_bad_input_is_none(bad):
    assert parse_number(bad) is None


def test_words_reject_unknown():
    assert parse_words("ba đảng viên") is None
    assert parse_digits("12a") is None


@given(st.integers(min_value=0, max_value=10**9))
def test_vietnamese_thousands_roundtrip(n):
    written = f"{n:,}".replace(",", ".")
    assert parse_number(written) == n


@given(st.integers(min_value=0, max_value=9999), st.integers(min_value=1, max_value=9))
def test_decimal_comma(whole, tenth):
    assert parse_number(f"{whole},{tenth}") == pytest.approx(whole + tenth / 10)
