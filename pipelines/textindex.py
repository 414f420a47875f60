"""Terms for the BM25 index: tone-folded syllables plus syllable bigrams.

Vietnamese words are often two or three syllables (`sinh hoạt`, `chi bộ`); indexing each
adjacent pair as one extra term (`sinh_hoat`, `chi_bo`) makes a phrase query rank the
documents holding the phrase above those holding its syllables scattered.
"""
from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")


def syllables(text: str) -> list[str]:
    """Tone-folded ASCII syllables: 'Sinh hoạt chi bộ' → ['sinh', 'hoat', 'chi', 'bo'] (same as nlp.text.fold)."""
    folded = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("ð", "d"))
    return _WORD.findall(folded.encode("ascii", "ignore").decode("ascii"))


def with_bigrams(sylls: list[str]) -> list[str]:
    return sylls + list(map("_".join, zip(sylls, sylls[1:])))


def index_terms(text: str) -> str:
    """Space-joined terms of a text, as stored in search_units.terms."""
    return " ".join(with_bigrams(syllables(text)))


def query_terms(query: str) -> list[str]:
    """Distinct terms of a query, syllables first then bigrams."""
    return list(dict.fromkeys(with_bigrams(syllables(query))))


def document_key(key: str) -> str:
    """A document key as typed by a user, in catalog form: '05-ct/tư' → '05-CT/TW'."""
    return key.strip().upper().replace("T.Ư", "TW").replace("TƯ", "TW")
