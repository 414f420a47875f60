"""Practice records: who adopted a way of working, where, to carry out which documents, with what
result, when, and which articles reported it (`xdd practices`, notebooks/practices_by_place.ipynb).

Names are matched accent- and case-insensitively on whole words (the folded keys the load
stores, pipelines.facts._key, with the same nlp.text.fold); user input is a literal (`_` and
`%` match themselves). A practice several outlets reported (syndicated copies, near-duplicates)
is one record listing every source (pipelines/queries/practices_records.sql).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from nlp.practices import CATEGORIES
from nlp.text import fold
from pipelines import queries
from pipelines.errors import XddError
from pipelines.facts import _key
from pipelines.places import resolve_province

# the fields of a record, in the order `xdd practices --format json|csv` gives them
FIELDS = ("practice_id", "category", "actor", "actor_norm", "place_name", "place_level", "commune", "district",
          "province", "province_2025", "documents", "outcome", "time", "text", "doc_id", "start", "end",
          "title", "published", "source", "url", "sources")


@dataclass
class PracticeFilters:
    province: str | None = None
    merged: bool = False          # with province: also the former provinces merged into it in 2025
    district: str | None = None
    commune: str | None = None
    category: str | None = None
    document: str | None = None
    actor: str | None = None
    since: str | None = None      # YYYY-MM-DD


def like_words(text: str | None) -> str | None:
    """A LIKE pattern (escape '\\') finding the words of `text` as whole words of a key
    padded with spaces: 'Phong Minh' → '% phong minh %'."""
    if text is None:
        return None
    key = _key(text)
    if not key:
        raise XddError(f"nothing to match in {text!r}")
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"% {escaped} %"


def category_name(text: str | None) -> str | None:
    """A category as typed ('Sinh hoạt chi bộ', 'sinh_hoat_chi_bo') → its name; error if unknown."""
    if text is None:
        return None
    want = "_".join(fold(text).replace("_", " ").split())
    for c in CATEGORIES:
        if fold(c) == want:
            return c
    raise XddError(f"unknown category: {text!r} (one of {', '.join(CATEGORIES)})")


def _doc_fold(key: str) -> str:
    key = key.strip().upper().replace("T.Ư", "TW").replace("TƯ", "TW")
    return re.sub(r"^0+(?=\d)", "", "".join(fold(key).split()))


def document_keys(con: duckdb.DuckDBPyConnection, text: str | None) -> list[str] | None:
    """The stored document keys a user's key means ('5-ct/tw', '05-CT/TƯ' → ['05-CT/TW'])."""
    if text is None:
        return None
    want = _doc_fold(text)
    if not want:
        raise XddError(f"not a document key: {text!r}")
    stored = [r[0] for r in queries.run(con, "practices_document_keys").fetchall() if r[0]]
    return [k for k in stored if _doc_fold(k) == want] or [text.strip()]


def params(con: duckdb.DuckDBPyConnection, f: PracticeFilters, limit: int) -> dict:
    provinces, provinces_2025 = (resolve_province(con, f.province, f.merged) if f.province else (None, None))
    return {"provinces": provinces, "provinces_2025": provinces_2025, "district": like_words(f.district),
            "commune": like_words(f.commune), "actor": like_words(f.actor), "category": category_name(f.category),
            "documents": document_keys(con, f.document), "since": f.since, "limit": limit, "ids": None}


def practice_records(con: duckdb.DuckDBPyConnection, filters: PracticeFilters | None = None,
                     limit: int = 20) -> list[dict]:
    """Practice records matching the filters, most recently reported first (see FIELDS):
    `documents` a list of keys, `outcome` a list of {text, start, end, value, unit, indicator}
    (offsets into articles.text of doc_id), `sources` a list of {source, url, published,
    doc_id, start, end}, the first the record's own article."""
    if limit < 1:
        raise XddError("--limit must be at least 1")
    cur = con.execute(compose("practices_hits"), params(con, filters or PracticeFilters(), limit))
    cols = [d[0] for d in cur.description]
    return [_record(dict(zip(cols, values))) for values in cur.fetchall()]


def compose(hits: str) -> str:
    """practices_records.sql after the CTE `hits` of the named query `hits` (what is asked for)."""
    head = queries.sql(hits)
    body = "\n".join(line for line in head.splitlines() if not line.startswith("--")).strip()
    return f"WITH {body},\n{queries.sql('practices_records')}"


def practice_records_by_id(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict]:
    """The records of practices named by id (`doc_id:start`; a search unit `p:doc_id:start`
    without its `p:`), each with every source that reported it: {id: record}. A copy's or a
    twin's id gives the record of the practice it repeats."""
    ids = [str(i) for i in ids]
    if not ids:
        return {}
    cur = con.execute(compose("practices_hits_by_id"), {"ids": ids, "limit": 2**31 - 1})
    cols = [d[0] for d in cur.description]
    out: dict[str, dict] = {}
    for values in cur.fetchall():
        record = _record(dict(zip(cols, values)))
        for s in record["sources"]:
            out[f"{s['doc_id']}:{s['start']}"] = record
    return {i: out[i] for i in ids if i in out}


def _record(r: dict) -> dict:
    r["documents"] = list(r["documents"] or [])
    r["outcome"] = [dict(o) for o in r["outcome"] or []]
    r["sources"] = [dict(s) for s in r["sources"] or []]
    return {k: r.get(k) for k in FIELDS}


def flat(record: dict) -> dict:
    """A record with its lists as text, for CSV: documents and sources' URLs '; '-joined, the
    outcome as its figures' words."""
    out = dict(record)
    out["documents"] = "; ".join(record["documents"])
    out["outcome"] = "; ".join(o["text"] or "" for o in record["outcome"])
    out["sources"] = "; ".join(s["url"] or s["doc_id"] for s in record["sources"])
    return out


def table_row(record: dict, width: int = 100) -> dict:
    """A record for the terminal table: place as commune, district, province; passage shortened."""
    text = " ".join((record["text"] or "").split())
    out = flat(record)
    out["place"] = ", ".join(filter(None, [record["commune"], record["district"], record["province"]]))
    out["passage"] = text if len(text) <= width else text[: width - 1].rstrip() + "…"
    out["sources"] = ", ".join(dict.fromkeys(s["source"] or "?" for s in record["sources"]))
    out["date"] = (record["published"] or "")[:10]
    return out


TABLE_COLUMNS = ["date", "category", "actor", "place", "documents", "outcome", "time", "passage", "sources", "url"]
