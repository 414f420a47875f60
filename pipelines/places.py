"""Resolving a user's province filter across the 2025 merger."""
from __future__ import annotations

import duckdb

from nlp.text import fold
from pipelines.errors import XddError


def _rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute("SELECT province, province_2025, coalesce(aliases, '') FROM provinces").fetchall()


def _keys(name: str) -> set[str]:
    k = fold(name).replace(".", " ").split()
    drop = {"tinh", "thanh", "pho", "tp"}
    return {" ".join(w for w in k if w not in drop), " ".join(k)}


def resolve_province(con: duckdb.DuckDBPyConnection, name: str, merged: bool = False) -> tuple[list[str] | None, list[str] | None]:
    """(provinces as reported, provinces after 2025) to filter on; raises on an unknown name."""
    want = _keys(name)
    rows = _rows(con)
    for prov, prov25, aliases in rows:
        names = [prov, *filter(None, (a.strip() for a in aliases.split(";")))]
        if any(_keys(n) & want for n in names):
            return ([prov], None) if not merged else (None, [prov25 or prov])
    for prov, prov25, _ in rows:
        if prov25 and _keys(prov25) & want:
            return (None, [prov25])
    if not rows:  # no reference table loaded: filter on the name as given
        return ([name], None) if not merged else (None, [name])
    raise XddError(f"unknown province: {name!r} (try `xdd stats --provinces`)")
