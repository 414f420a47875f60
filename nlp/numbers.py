"""Vietnamese numbers: digits with '.' thousands / ',' decimal, multipliers, small number words.

    >>> parse_number("481.406"), parse_number("0,7"), parse_number("15 nghìn")
    (481406.0, 0.7, 15000.0)
"""
from __future__ import annotations

import math
import re

from nlp.text import clean

# Digits the Vietnamese way: '481.406', '1.234,5', '0,7', '969'.
NUM_RX = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
MULTIPLIERS = {"nghìn": 1e3, "ngàn": 1e3, "vạn": 1e4, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
MULT_RX = "|".join(MULTIPLIERS)

DIGIT_WORDS = {"không": 0, "linh": 0, "lẻ": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3,
               "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "nhăm": 5, "sáu": 6, "bảy": 7,
               "bẩy": 7, "tám": 8, "chín": 9, "mười": 10}
SCALE_WORDS = {"mươi": 10, "chục": 10, "trăm": 100, "nghìn": 1000, "ngàn": 1000,
               "vạn": 10_000, "triệu": 1_000_000, "tỷ": 1_000_000_000, "tỉ": 1_000_000_000}

_MIXED = re.compile(rf"^\s*(?P<num>\d[\d.,]*)\s*(?P<mult>{MULT_RX})?\s*%?\s*$", re.IGNORECASE)
_EN_THOUSANDS = re.compile(r"^[1-9]\d{0,2},\d{3}$")
_DOTTED_DECIMAL = re.compile(r"^\d+\.\d{1,2}$|^\d+\.\d{4,}$")

#: Largest value read as a number: beyond it a run of digits is not a figure (a 400-digit run
#: would be ``inf``, which no JSON parser accepts); any multiplier keeps it finite.
MAX_VALUE = 1e100


def _value(v: float) -> float | None:
    """``v`` when it is a finite number up to ``MAX_VALUE``, else None."""
    return v if math.isfinite(v) and abs(v) <= MAX_VALUE else None


def parse_digits(s: str) -> float | None:
    """'481.406' → 481406, '1.234,5' → 1234.5, '0,7' → 0.7; '1,200' (English style) → 1200."""
    s = s.strip()
    if _EN_THOUSANDS.match(s):
        return float(s.replace(",", ""))
    if _DOTTED_DECIMAL.match(s):
        return _value(float(s))
    if not re.fullmatch(NUM_RX, s):
        return None
    return _value(float(s.replace(".", "").replace(",", ".")))


def parse_words(s: str) -> float | None:
    """Spelled-out numbers: 'ba' → 3, 'hai mươi mốt nghìn không trăm mười một' → 21011."""
    words = clean(s).lower().split()
    if not words or any(w not in DIGIT_WORDS and w not in SCALE_WORDS for w in words):
        return None
    total, group, cur = 0, 0, None
    for w in words:
        if w in DIGIT_WORDS:
            cur = (cur or 0) + DIGIT_WORDS[w]
        elif w in ("mươi", "chục"):
            cur = (1 if cur is None else cur) * 10
        elif w == "trăm":
            group, cur = group + (1 if cur is None else cur) * 100, None
        else:
            unit = group + (cur or 0) or (0 if total else 1)
            total, group, cur = total + unit * SCALE_WORDS[w], 0, None
    return _value(float(total + group + (cur or 0)))


def parse_number(s: str) -> float | None:
    """A number as Vietnamese news writes it: digits, digits + multiplier, or words; else None."""
    if not isinstance(s, str) or not s.strip():
        return None
    s = clean(s).strip()
    m = _MIXED.match(s)
    if m:
        base = parse_digits(m["num"])
        if base is None:
            return None
        return _value(base * MULTIPLIERS.get((m["mult"] or "").lower(), 1))
    return parse_words(s)
