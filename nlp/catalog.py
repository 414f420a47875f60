"""Catalog of well-known central party documents (``data/reference/central_documents.csv``).

    >>> resolve("CT", 5, "TW")["term"]
    'XII'
    >>> resolve("NQ", None, None, term="XII", name="Nghị quyết Trung ương 4")["key"]
    '04-NQ/TW'
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from nlp.resources import reference_path
from nlp.text import lookup_key

_PLENUM = re.compile(r"(?:Hội nghị\s+)?Trung ương\s+(\d{1,2})\s*\(?\s*khóa\s+([IVXL]+)", re.I)
_CENTRAL_ISSUER = re.compile(r"T\.?\s?Ư|T\.W|TƯ")
_STOP = frozenset("về của và các trong với cho đối những một số việc nghị quyết chỉ thị quy định "
                  "kết luận hướng dẫn hội nghị trung ương khóa đảng bộ chính trị ban".split())
TERM_STARTS = (("XI", "2011-01-19"), ("XII", "2016-01-28"), ("XIII", "2021-02-01"),
               ("XIV", "2026-01-23"))


def code_of(key: str) -> str:
    """Catalog key without the '@YEAR' suffix used for reused codes: '18-NQ/TW@2017' → '18-NQ/TW'."""
    return key.split("@", 1)[0]


def _row(raw: dict) -> dict:
    """One CSV row with typed fields (number int, aliases/replaces lists, plenums)."""
    row = {k: (v or "").strip() for k, v in raw.items()}
    row["number"] = int(row["number"]) if row["number"].isdigit() else None
    row["aliases"] = [a.strip() for a in row["aliases"].split(";") if a.strip()]
    row["replaces"] = [a.strip() for a in row["replaces"].split(";") if a.strip()]
    row["code"] = code_of(row["key"]) if row["key"] else None
    text = " ; ".join([row["title"], *row["aliases"]])
    row["plenums"] = sorted({(int(p), t.upper()) for p, t in _PLENUM.findall(lookup_key(text))})
    return row


@lru_cache(maxsize=1)
def catalog() -> list[dict]:
    """All catalog rows (read once)."""
    path = reference_path("central_documents.csv")
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [_row(r) for r in csv.DictReader(fh)]


def alias_key(s: str) -> str:
    """Normalised alias: tone placement, case, TƯ/T.Ư → TW, no 'số', brackets or commas."""
    s = _CENTRAL_ISSUER.sub("TW", s or "")
    s = lookup_key(s).replace("khoá", "khóa")
    s = re.sub(r"[(),]|\bsố\b", " ", s)
    return re.sub(r"\s+", " ", s).strip()


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = {}
    for row in catalog():
        for alias in row["aliases"]:
            rows = index.setdefault(alias_key(alias), [])
            if row not in rows:
                rows.append(row)
    return index


def same_kind(a: str | None, b: str | None) -> bool:
    """Kinds match, treating QĐi (Quy định of the Central Committee) as QĐ."""
    norm = lambda k: (k or "").replace("QĐi", "QĐ").upper()  # noqa: E731
    return norm(a) == norm(b)


def term_of_date(iso: str | None) -> str | None:
    """The Party Congress term in office on an ISO date."""
    if not iso:
        return None
    term = None
    for name, start in TERM_STARTS:
        if iso[:10] >= start:
            term = name
    return term


def topic_words(s: str | None) -> set[str]:
    """Content words of a title or mention, for topic overlap."""
    words = re.findall(r"\w+", lookup_key(s or ""))
    return {w for w in words if w not in _STOP and not w.isdigit()}


def pick(rows: list[dict], term: str | None, name: str | None, year: int | None) -> dict | None:
    """One row out of candidates: by term, then by year of issue, then by topic overlap."""
    if term:
        rows = [r for r in rows if r["term"] == term] or ([] if len(rows) > 1 else rows)
    if len(rows) > 1 and year:
        before = [r for r in rows if r["date"] and int(r["date"][:4]) <= year]
        rows = before[-1:] if before else rows
    if len(rows) > 1 and name:
        words = topic_words(name)
        scored = sorted(rows, key=lambda r: -len(words & topic_words(r["title"] + " " + " ".join(r["aliases"]))))
        best = len(words & topic_words(scored[0]["title"] + " " + " ".join(scored[0]["aliases"])))
        second = len(words & topic_words(scored[1]["title"] + " " + " ".join(scored[1]["aliases"])))
        rows = scored[:1] if best > second else rows
    return rows[0] if len(rows) == 1 else None


def candidates(kind: str | None, number: int | None, issuer: str | None) -> list[dict]:
    """Rows with this kind and number (and issuer when given)."""
    return [r for r in catalog() if r["number"] == number and same_kind(r["kind"], kind)
            and (not issuer or r["issuer_code"] == issuer)]


def plenum_rows(kind: str | None, plenum: int, term: str | None) -> list[dict]:
    """Rows issued by a Central Committee plenum, e.g. (NQ, 4, 'XII') → [04-NQ/TW]."""
    return [r for r in catalog() if same_kind(r["kind"], kind) and r["key"]
            and any(p == plenum and (term is None or t == term) for p, t in r["plenums"])]


def congress_row(term: str | None) -> dict | None:
    """The national Congress resolution of a term (rows without a key)."""
    rows = [r for r in catalog() if not r["key"] and r["kind"] == "NQ" and r["term"] == term]
    return rows[0] if rows else None


def _plenum_of_name(name: str) -> tuple[int, str | None] | None:
    m = re.search(r"(?:trung ương|tw)\s*(\d{1,2})(?:.*?khóa\s+([ivxl]+))?", alias_key(name))
    return (int(m[1]), m[2].upper() if m[2] else None) if m else None


def resolve(kind: str | None, number: int | None, issuer: str | None, term: str | None = None,
            name: str | None = None, *, year: int | None = None) -> dict | None:
    """The catalog row a mention refers to, or None when unknown or ambiguous.

    By (kind, number, issuer) when a number is known; otherwise by alias, by plenum
    ('Nghị quyết Trung ương 4' + term) or, for a Congress resolution, by term."""
    try:
        if number is not None:
            return pick(candidates(kind, number, issuer), term, name, year)
        if not name:
            return congress_row(term) if kind == "NQ" and term else None
        rows = [r for r in _alias_index().get(alias_key(name), []) if not kind or same_kind(r["kind"], kind)]
        if rows:
            return pick(rows, term, name, year)
        if "đại hội" in alias_key(name):
            return congress_row(term) if kind == "NQ" else None
        plen = _plenum_of_name(name)
        if plen:
            return pick(plenum_rows(kind, plen[0], plen[1] or term), plen[1] or term, name, year)
    except (TypeError, ValueError):
        return None
    return None
