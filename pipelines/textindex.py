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
import itertools
import re
import unicodedata
from functools import lru_cache

import numpy as np
import polars as pl
import pyarrow as pa

SYLLABLE = re.compile(r"[a-z0-9]+")      # a syllable once folded: a run of ASCII letters and digits
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
    return tuple(SYLLABLE.findall(_MARKS.sub("", folded)))


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


CODE_LIMIT = 1 << 62     # (text, term) codes stay below this (int64)


def term_frequencies(unit_keys: list[int], texts: list[str]) -> tuple[pl.Series, pl.DataFrame]:
    """For texts keyed by unit_keys: each text's number of terms, and its term frequencies as
    rows (unit_key, term_key, tf), one per distinct term of a text.

    The same terms as syllables()/with_bigrams(), counted for many texts at once. polars splits
    the texts into chunks at spaces; each distinct chunk is folded once, its syllables numbered
    0..S-1 for this call. A term is then a small number (a syllable s, or a bigram S + s1*S + s2),
    and (text, term) one integer code, so counting is sorting one integer array and measuring
    its runs; the distinct codes are decoded into the keys at the end."""
    n = len(texts)
    chunks = pl.Series(texts, dtype=pl.Utf8).fill_null("").str.split(" ")
    flat = pl.DataFrame({"unit": pl.int_range(n, dtype=pl.Int64, eager=True), "chunk": chunks}).explode("chunk")
    vocab = flat["chunk"].drop_nulls().unique()
    ids: dict[str, int] = {}
    lists = [[ids.setdefault(s, len(ids)) for s in chunk_syllables(c)] for c in vocab.to_list()]
    size = len(ids)
    span = size + size * size
    if n > 1 and n * span >= CODE_LIMIT:       # codes would overflow: count each half on its own
        half = n // 2
        first, second = term_frequencies(unit_keys[:half], texts[:half]), term_frequencies(unit_keys[half:], texts[half:])
        return pl.concat([first[0], second[0]]), pl.concat([first[1], second[1]])
    syllable_ids = pl.DataFrame({"chunk": vocab, "sid": _lists(lists)})
    tokens = (flat.join(syllable_ids, on="chunk", how="inner", maintain_order="left")
              .select("unit", "sid").explode("sid").drop_nulls("sid"))
    unit, sid = tokens["unit"].to_numpy(), tokens["sid"].to_numpy()
    same = unit[1:] == unit[:-1]            # a bigram: a syllable and the next one of the same text
    codes = np.concatenate([unit * span + sid, unit[:-1][same] * span + size + sid[:-1][same] * size + sid[1:][same]])
    codes.sort()
    starts = np.flatnonzero(np.diff(codes, prepend=codes[:1] - 1))     # where each run begins
    tf = np.diff(np.append(starts, len(codes))).astype(np.int32)
    return _n_terms(unit, n), _decode(codes[starts], tf, unit_keys, list(ids), size, span)


def _lists(lists: list[list[int]]) -> pl.Series:
    """A List(Int64) series from Python lists, built from offsets (polars' own path is slow)."""
    offsets = np.zeros(len(lists) + 1, dtype=np.int32)
    np.cumsum([len(x) for x in lists], out=offsets[1:])
    values = pa.array(list(itertools.chain.from_iterable(lists)), type=pa.int64())
    return pl.from_arrow(pa.ListArray.from_arrays(pa.array(offsets), values))


def _n_terms(units: np.ndarray, n: int) -> pl.Series:
    n_syll = np.bincount(units, minlength=n).astype(np.int32)
    return pl.Series("n_terms", np.maximum(2 * n_syll - 1, 0), dtype=pl.Int32)


def _decode(code: np.ndarray, tf: np.ndarray, unit_keys: list[int], syllables_: list[str], size: int,
            span: int) -> pl.DataFrame:
    """Distinct codes and their counts → rows (unit_key, term_key, tf)."""
    keys = np.array([key64(s) for s in syllables_] or [0], dtype=np.int64)
    unit, term = np.divmod(code, span)
    first, second = np.divmod(np.maximum(term - size, 0), max(size, 1))
    term_key = np.where(term < size, keys[np.minimum(term, max(size - 1, 0))], keys[first] ^ (keys[second] >> 1))
    return pl.DataFrame({"unit_key": np.array(unit_keys, dtype=np.int64)[unit], "term_key": term_key, "tf": tf})


def document_key(key: str) -> str:
    """A document key as typed by a user, in catalog form: '05-ct/tư' → '05-CT/TW'."""
    return key.strip().upper().replace("T.Ư", "TW").replace("TƯ", "TW")
