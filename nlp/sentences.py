"""Sentence spans with offsets into the text as given.

Rules: a newline always ends a sentence (paragraphs never merge); inside a line a sentence
ends at ``.``, ``!``, ``?``, ``…`` or ``...`` (plus closing quotes/brackets) followed by
whitespace and a sentence-like start (capital, digit, opening quote, dash). Abbreviations
(``TP.``, ``Q.``, ``PGS.TS.``, ``ThS.``, initials) never end a sentence; numbers such as
``0,7%`` or ``481.406`` and codes such as ``TP.HCM`` have no space after the dot.
"""
from __future__ import annotations

import re

# Terminator run, optional closers, then the whitespace gap before the next sentence.
_BOUNDARY = re.compile(r"([.!?…]+)([”\"'’»)\]]*)([ \t\u00a0]+)")
_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
_OPENERS = "“\"'‘«([-–—•*"

# Lower-cased tokens that, followed by a single '.', are abbreviations.
ABBREVIATIONS = frozenset({
    "tp", "q", "p", "h", "x", "tt", "tx", "pgs", "gs", "ts", "ths", "th.s", "bs", "cn", "ks",
    "ls", "nxb", "đ/c", "đc", "v.v", "vv", "t.ư", "mr", "dr", "sđd", "tp.hcm", "pgs.ts", "gs.ts", "ths.bs", "ncs",
})
_PREV_WORD = re.compile(r"(\S+)$")


def _is_abbreviation(text: str, dot_at: int, line_start: int) -> bool:
    """True when the '.' at ``dot_at`` closes an abbreviation or an initial."""
    m = _PREV_WORD.search(text, line_start, dot_at)
    if not m:
        return False
    word = m.group(1).lstrip(_OPENERS).lower()
    if word in ABBREVIATIONS:
        return True
    last = word.rsplit(".", 1)[-1]
    if last in ABBREVIATIONS:
        return True
    return len(last) == 1 and last.isalpha()  # initials: "N. V. A." / "Q."


def _starts_sentence(ch: str) -> bool:
    return ch.isupper() or ch.isdigit() or ch in _OPENERS


def _line_boundaries(text: str, start: int, end: int) -> list[int]:
    """Offsets inside [start, end) where a new sentence begins."""
    cuts = []
    for m in _BOUNDARY.finditer(text, start, end):
        nxt = m.end()
        if nxt >= end or not _starts_sentence(text[nxt]):
            continue
        term = m.group(1)
        if term == "." and _is_abbreviation(text, m.start(1), start):
            continue
        cuts.append(nxt)
    return cuts


def _trimmed(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed; paragraphs never merge."""
    if not isinstance(text, str) or not text:
        return []
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        ls, le = line.start(), line.end()
        bounds = [ls, *_line_boundaries(text, ls, le), le]
        for s, e in zip(bounds, bounds[1:]):
            span = _trimmed(text, s, e)
            if span:
                spans.append(span)
    return spans
