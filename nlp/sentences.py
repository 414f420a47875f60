"""Sentence spans with offsets into the text as given. (STUB: owned by the practices/spaCy work.)"""
from __future__ import annotations

import re

_SENT = re.compile(r"[^\n.!?…]+(?:[.!?…]+[”\"')]*|$)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed; paragraphs never merge."""
    spans = []
    for m in _SENT.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans
