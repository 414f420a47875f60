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

import polars as pl

_WORD = re.compile(r"[a-z0-9]+")


def syllables(text: str) -> list[str]:
    """Tone-folded ASCII syllables: 'Sinh hoạt chi bộ' → ['sinh', 'hoat', 'chi', 'bo'] (same as nlp.text.fold)."""
    folded = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("ð", "d"))
    return _WORD.findall(folded.encode("ascii", "ignore").decode("ascii"))


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


def syllable_lists(texts: pl.Series) -> pl.Series:
    """syllables() of many texts at once: the same folding, vectorised."""
    return (texts.fill_null("").str.to_lowercase().str.replace_all("đ", "d", literal=True)
            .str.replace_all("ð", "d", literal=True).str.normalize("NFD")
            .str.replace_all(r"[^\x00-\x7f]", "").str.extract_all(r"[a-z0-9]+"))


def term_frequencies(unit_keys: list[int], texts: list[str]) -> tuple[pl.Series, pl.DataFrame]:
    """For texts keyed by unit_keys: each text's number of terms, and its term frequencies as
    rows (unit_key, term_key, tf), one per distinct term of a text."""
    sylls = syllable_lists(pl.Series(texts, dtype=pl.Utf8))
    n_syll = sylls.list.len()
    n_terms = pl.when(n_syll > 0).then(2 * n_syll - 1).otherwise(0)
    flat = pl.DataFrame({"unit_key": pl.Series(unit_keys, dtype=pl.Int64), "syl": sylls}).explode("syl").drop_nulls("syl")
    vocab = flat["syl"].unique().to_list()
    keys = pl.DataFrame({"syl": vocab, "term_key": [key64(v) for v in vocab]}, schema={"syl": pl.Utf8, "term_key": pl.Int64})
    flat = flat.join(keys, on="syl", how="left", maintain_order="left").select("unit_key", "term_key")
    bigrams = (flat.lazy()
               .with_columns(pl.col("term_key").shift(-1).alias("next"),
                             (pl.col("unit_key").shift(-1) == pl.col("unit_key")).alias("same_unit"))
               .filter(pl.col("same_unit"))
               .select("unit_key", pl.col("term_key").xor(pl.col("next") // 2).alias("term_key")))
    tf = (pl.concat([flat.lazy(), bigrams]).group_by("unit_key", "term_key")
          .agg(pl.len().cast(pl.Int32).alias("tf")).collect())
    return pl.select(n_terms).to_series().cast(pl.Int32).alias("n_terms"), tf


def document_key(key: str) -> str:
    """A document key as typed by a user, in catalog form: '05-ct/tư' → '05-CT/TW'."""
    return key.strip().upper().replace("T.Ư", "TW").replace("TƯ", "TW")
