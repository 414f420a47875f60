"""Vietnamese text normalisation.

`clean` is applied once at ingest (NFC, U+00D0 → Đ) and preserves what offsets index.
`tone_norm`, `lookup_key` and `fold` are for lookup keys only: never apply them to text
that offsets point into.
"""
from __future__ import annotations

import re
import unicodedata

_ETH = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})

# Old-style tone placement (hoà, uỷ, thuý) → new style (hòa, ủy, thúy): the tone moves
# from the second vowel of oa/oe/uy to the first when nothing follows the pair.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_OLD_STYLE = re.compile(
    rf"(?<![qg])([ou])([ae])([{_TONES}])(?![a-zđ\u0300-\u036f])"
    rf"|(?<![q])(u)(y)([{_TONES}])(?![a-zđ\u0300-\u036f])",
    re.IGNORECASE,
)


def clean(text: str) -> str:
    """NFC plus U+00D0/U+00F0 → Đ/đ. Safe before offsets (ETH → Đ keeps length)."""
    return unicodedata.normalize("NFC", text).translate(_ETH)


def _move_tone(m: re.Match) -> str:
    g = [x for x in m.groups() if x is not None]
    first, second, tone = g
    return first + tone + second


def tone_norm(s: str) -> str:
    """One standard tone placement: 'Tỉnh uỷ' → 'Tỉnh ủy', 'hoà' → 'hòa'."""
    d = unicodedata.normalize("NFD", clean(s))
    return unicodedata.normalize("NFC", _OLD_STYLE.sub(_move_tone, d))


def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for cp in range(0x00C0, 0x2000):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if unicodedata.combining(ch):
            table[cp] = None
        elif base != ch and base.isascii():
            table[cp] = base.lower()
    table.update({ord("đ"): "d", ord("Đ"): "d", ord("ð"): "d", ord("Ð"): "d"})
    return table


_FOLD = _fold_table()


def fold(s: str) -> str:
    """Strip every diacritic (đ → d), lower-case: 'Sinh hoạt Chi bộ' → 'sinh hoat chi bo'."""
    return unicodedata.normalize("NFC", s).lower().translate(_FOLD)


def lookup_key(s: str) -> str:
    """Key for dictionary lookups: tone placement normalised, lower-case, spaces collapsed."""
    return re.sub(r"\s+", " ", tone_norm(s).lower()).strip()
