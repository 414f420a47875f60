"""Simple relevance and language tests (keywords and function words as data in `_common.toml`)."""
from __future__ import annotations

import re
from functools import lru_cache

from crawler.sources import common_settings

_WORD = re.compile(r"\w+")


def _fold_uy(text: str) -> str:
    return text.lower().replace("uỷ", "ủy").replace("Uỷ", "ủy")


@lru_cache(maxsize=1)
def _keywords() -> re.Pattern:
    words = sorted({_fold_uy(k) for k in common_settings()["relevance"]["keywords"]}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)")


def party_hits(text: str) -> int:
    """How many party-building keyword occurrences the text has."""
    return len(_keywords().findall(_fold_uy(text)))


def is_party_building(text: str, title: str = "") -> bool:
    """True when hits in the text plus twice the hits in the title reach `min_hits`."""
    return party_hits(text) + 2 * party_hits(title) >= common_settings()["relevance"]["min_hits"]


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset(common_settings()["language"]["words"])


def is_vietnamese(text: str) -> bool:
    """True when enough of the words are common Vietnamese function words."""
    cfg = common_settings()["language"]
    words = _WORD.findall(text.lower())
    if len(words) < cfg["min_words"]:
        return sum(w in _function_words() for w in words) >= 2
    share = sum(w in _function_words() for w in words) / len(words)
    return share >= cfg["min_share"]
