"""Terms for the BM25 index: tone-folded syllables plus syllable bigrams.

Vietnamese words are often two or three syllables (`sinh hoạt`, `chi bộ`); indexing each
adjacent pair as one extra term (`sinh_hoat`, `chi_bo`) makes a phrase query rank the
documents holding the phrase above those holding its syllables scattered.
"""
from __future__ import annotations

import re

from nlp.text import fold

_WORD = re.compile(r"[a-z0-9]+")


def syllables(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def with_bigrams(sylls: list[str]) -> list[str]:
    return sylls + [f"{a}_{b}" for a, b in zip(sylls, sylls[1:])]


def index_terms(text: str) -> str:
    """Space-joined terms of a text, as stored in search_units.terms."""
    return " ".join(with_bigrams(syllables(text)))


def query_terms(query: str) -> list[str]:
    """Distinct terms of a query, syllables first then bigrams."""
    return list(dict.fromkeys(with_bigrams(syllables(query))))
