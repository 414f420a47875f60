"""Terms for the BM25 index: tone-folded syllables plus syllable bigrams, and their keys.

Vietnamese words are often two or three syllables (`sinh hoạt`, `chi bộ`); indexing each
adjacent pair as one extra term (`sinh_hoat`, `chi_bo`) makes a phrase query rank the
documents holding the phrase above those holding its syllables scattered.

Terms are stored as 63-bit integer keys: a syllable's is key64 of it (the first 8 bytes of its
MD5, so DuckDB computes the same with md5_number_upper), a bigram's combines its syllables'
(bigram_key). The load counts terms for a whole batch at once with polars (term_frequencies);
queries use the plain-Python functions, which give the same terms and keys.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import polars as pl

_WORD = re.compile(r"[a-z0-9]+")
_MARKS = re.compile("[\u0300-\u036f]")      # combining diacritics, as NFD leaves them


def syllables(text: str) -> list[str]:
    """Tone-folded ASCII syllables: 'Sinh hoạt chi bộ' → ['sinh', 'hoat', 'chi', 'bo'].

    Each chunk between plain spaces is folded on its own (chunk_syllables), once per distinct
    chunk in term_frequencies."""
    return [s for chunk in text.split(" ") for s in chunk_syllables(chunk)]


@lru_cache(maxsize=1 << 16)
def chunk_syllables(chunk: str) -> tuple[str, ...]:
    """The syllables of a chunk of text: lower case, đ → d, tone and vowel marks dropped (as
    nlp.text.fold), then the runs of ASCII letters and digits: anything else, any Unicode
    space included, separates ('(2020–2025)' → 2020, 2025; 'chi\u00a0bộ' → chi, bo)."""
    folded = unicodedata.normalize("NFD", chunk.lower().replace("đ", "d").replace("ð", "d"))
    return tuple(_WORD.findall(_MARKS.sub("", folded)))


def with_bigrams(sylls: list[str]) -> list[str]:
    return sylls + list(map("_".join, zip(sylls, sylls[1:])))


def index_terms(text: str) -> str:
    """Space-joined terms of a text (syllables, then bigrams joined by '_')."""
    return " ".join(with_bigrams(syllables(text)))


def query_terms(query: str) -> list[str]:
    """Distinct terms of a query, syllables first then bigrams."""
    return list(dict.fromkeys(with_bigrams(syllables(query))))


def key64(text: str) -> int:
    """A stable 63-bit key of a string: the first 8 bytes of its MD5, little-endian, halved.
    The same as DuckDB's `(md5_number_upper(text) >> 1)::BIGINT`, so SQL and Python agree."""
    return int.from_bytes(hashlib.md5(text.encode("utf-8")).digest()[:8], "little") >> 1


def bigram_key(first: int, second: int) -> int:
    """The key of a bigram from its syllables' keys (stays below 2**63)."""
    return first ^ (second >> 1)


def term_key(term: str) -> int:
    first, _, second = term.partition("_")
    return bigram_key(key64(first), key64(second)) if second else key64(first)


def term_keys(terms: list[str]) -> list[int]:
    """The keys of index terms, as stored in search_tf and the postings."""
    return [term_key(t) for t in terms]


def term_frequencies(unit_keys: list[int], texts: list[str]) -> tuple[pl.Series, pl.DataFrame]:
    """For texts keyed by unit_keys: each text's number of terms, and its term frequencies as
    rows (unit_key, term_key, tf), one per distinct term of a text.

    The same terms as syllables()/with_bigrams(), counted for many texts at once: polars splits
    the texts into chunks at spaces, each distinct chunk is folded once into its syllables' keys,
    and bigram keys come from each key and the next one of the same text."""
    chunks = pl.Series(texts, dtype=pl.Utf8).fill_null("").str.split(" ")
    flat = (pl.DataFrame({"unit_key": pl.Series(unit_keys, dtype=pl.Int64), "chunk": chunks})
            .explode("chunk").drop_nulls("chunk"))
    vocab = flat["chunk"].unique().to_list()
    keys = pl.DataFrame({"chunk": vocab, "term_key": [_chunk_keys(c) for c in vocab]},
                        schema={"chunk": pl.Utf8, "term_key": pl.List(pl.Int64)})
    flat = (flat.join(keys, on="chunk", how="left", maintain_order="left")
            .select("unit_key", "term_key").explode("term_key").drop_nulls("term_key"))
    bigrams = (flat.lazy()
               .with_columns(pl.col("term_key").shift(-1).alias("next"),
                             (pl.col("unit_key").shift(-1) == pl.col("unit_key")).alias("same_unit"))
               .filter(pl.col("same_unit"))
               .select("unit_key", pl.col("term_key").xor(pl.col("next") // 2).alias("term_key")))
    tf = (pl.concat([flat.lazy(), bigrams]).group_by("unit_key", "term_key")
          .agg(pl.len().cast(pl.Int32).alias("tf")).collect())
    n_syll = (pl.DataFrame({"unit_key": pl.Series(unit_keys, dtype=pl.Int64)})
              .join(flat.group_by("unit_key").len(), on="unit_key", how="left", maintain_order="left")["len"]
              .cast(pl.Int32).fill_null(0))
    return (2 * n_syll - 1).clip(lower_bound=0).alias("n_terms"), tf


@lru_cache(maxsize=1 << 16)
def _chunk_keys(chunk: str) -> list[int]:
    return [key64(s) for s in chunk_syllables(chunk)]


def document_key(key: str) -> str:
    """A document key as typed by a user, in catalog form: '05-ct/tư' → '05-CT/TW'."""
    return key.strip().upper().replace("T.Ư", "TW").replace("TƯ", "TW")
