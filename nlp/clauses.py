"""Sentence and clause limits for figures: a '.' between digits ('481.406') ends nothing."""
from __future__ import annotations

import bisect
import re

# a '.' after a digit ends a sentence only before a capital ('... nhiệm kỳ 2025 - 2030. Dự Đại hội
# có ...'), never in a number (1.146) nor after a line's list number ('1. Nội dung ...')
_SENT_BREAK = re.compile(r"(?=[.!?…\n])(?:(?<!\d)[.!?…](?=\s)|(?<=\d\d)(?<!\n\d\d)\.(?=[ \t]+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ])|\n)")


def sentence_breaks(text: str) -> list[int]:
    """Offsets just after each sentence end ('.' between digits does not end one)."""
    return [m.end() for m in _SENT_BREAK.finditer(text)]


def sentence_bounds(text: str, pos: int, breaks: list[int] | None = None) -> tuple[int, int]:
    """Start/end of the sentence around pos."""
    breaks = sentence_breaks(text) if breaks is None else breaks
    i = bisect.bisect_right(breaks, pos)
    return (breaks[i - 1] if i else 0), (breaks[i] if i < len(breaks) else len(text))


def clause_start(text: str, sent_start: int, pos: int) -> int:
    """Start of the clause (after the last ';' or ':', or an open '(') holding pos; a
    parenthesis closed before pos ('khi tiến hành đại hội (tháng 9-2017), 19 chi bộ') does
    not start one."""
    cut = max(text.rfind(";", sent_start, pos), text.rfind(":", sent_start, pos))
    paren = text.rfind("(", sent_start, pos)
    if paren > cut and text.find(")", paren, pos) == -1:
        cut = paren
    return cut + 1 if cut >= 0 else sent_start


def headline_end(text: str) -> int:
    """Offset of the line break ending the text's first line with a letter (its headline, when a
    body follows; lines of page debris such as '.' before it do not count), or -1 when the text
    is one line."""
    pos = len(text) - len(text.lstrip())
    while True:
        nl = text.find("\n", pos)
        if nl == -1 or any(c.isalpha() for c in text[pos:nl]):
            return nl
        pos = nl + 1


HEADLINE_MAX = 250   # characters: a first line this short, followed by more text, is a headline


def short_headline_end(text: str) -> int:
    """``headline_end`` when the first line is short enough to be a headline, else -1."""
    cut = headline_end(text)
    return cut if cut != -1 and cut - (len(text) - len(text.lstrip())) <= HEADLINE_MAX else -1


def in_parens(text: str, pos: int) -> bool:
    """``pos`` lies inside a parenthesis closed later in its paragraph ('(năm 2019 là 21,7%)',
    '(phường Trà Lý)')."""
    para = text.rfind("\n", 0, pos) + 1
    opened = text.rfind("(", para, pos)
    if opened == -1 or text.rfind(")", opened, pos) != -1:
        return False
    end = text.find("\n", pos)
    return text.find(")", pos, len(text) if end == -1 else end) != -1
