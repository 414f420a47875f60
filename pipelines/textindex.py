"""Terms for the search index: tone-folded syllables plus syllable bigrams.

Vietnamese words are often two or three syllables (`sinh hoạt`, `chi bộ`); indexing each
adjacent pair as one extra term (`sinh_hoat`, `chi_bo`) makes a query of a phrase rank the
documents holding the phrase above those holding its syllables scattered.

This is the one tokenization of the project's search: the index stores `index_terms` of each
unit (pipelines.search_index) and queries look up `query_terms`; folding is nlp.text.fold.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from nlp.text import fold

SYLLABLE = re.compile(r"[a-z0-9]+")      # a syllable once folded: a run of ASCII letters and digits


def syllables(text: str) -> list[str]:
    """Tone-folded ASCII syllables: 'Sinh hoạt chi bộ' → ['sinh', 'hoat', 'chi', 'bo'].

    Each chunk between plain spaces is folded on its own (chunk_syllables, cached)."""
    return [s for chunk in text.split(" ") for s in chunk_syllables(chunk)]


@lru_cache(maxsize=1 << 16)
def chunk_syllables(chunk: str) -> tuple[str, ...]:
    """The syllables of a chunk of text: folded (nlp.text.fold: lower case, đ → d, tone and
    vowel marks dropped), then the runs of ASCII letters and digits: anything else, any Unicode
    space included, separates ('(2020–2025)' → 2020, 2025; 'chi\u00a0bộ' → chi, bo)."""
    return tuple(SYLLABLE.findall(fold(chunk)))


def with_bigrams(sylls: list[str]) -> list[str]:
    return sylls + list(map("_".join, zip(sylls, sylls[1:])))


def index_terms(text: str) -> str:
    """Space-joined terms of a text (syllables, then bigrams joined by '_')."""
    return " ".join(with_bigrams(syllables(text)))


def n_terms(text: str) -> int:
    """The number of terms of a text (syllables and bigrams): the unit's length for BM25."""
    return max(2 * len(syllables(text)) - 1, 0)


def query_terms(query: str) -> list[str]:
    """Distinct terms of a query, syllables first then bigrams."""
    return list(dict.fromkeys(with_bigrams(syllables(query))))


def key64(text: str) -> int:
    """A stable 63-bit key of a string: the first 8 bytes of its MD5, little-endian, halved.
    The same as DuckDB's `(md5_number_upper(text) >> 1)::BIGINT`, so SQL and Python agree."""
    return int.from_bytes(hashlib.md5(text.encode("utf-8")).digest()[:8], "little") >> 1


def document_key(key: str) -> str:
    """A document key as typed by a user, in catalog form: '05-ct/tư' → '05-CT/TW'."""
    return key.strip().upper().replace("T.Ư", "TW").replace("TƯ", "TW")
