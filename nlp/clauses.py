"""Sentence and clause limits for figures: a '.' between digits ('481.406') ends nothing."""
from __future__ import annotations

import bisect
import re

_SENT_BREAK = re.compile(r"(?=[.!?…\n])(?:(?<!\d)[.!?…](?=\s)|\n)")


def sentence_breaks(text: str) -> list[int]:
    """Offsets just after each sentence end ('.' between digits does not end one)."""
    return [m.end() for m in _SENT_BREAK.finditer(text)]


def sentence_bounds(text: str, pos: int, breaks: list[int] | None = None) -> tuple[int, int]:
    """Start/end of the sentence around pos."""
    breaks = sentence_breaks(text) if breaks is None else breaks
    i = bisect.bisect_right(breaks, pos)
    return (breaks[i - 1] if i else 0), (breaks[i] if i < len(breaks) else len(text))


def clause_start(text: str, sent_start: int, pos: int) -> int:
    """Start of the clause (after the last ';', ':' or '(' ) holding pos."""
    cut = max(text.rfind(c, sent_start, pos) for c in ";:(")
    return cut + 1 if cut >= 0 else sent_start

