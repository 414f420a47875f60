"""Loading reference data (documents catalog, provinces) into the knowledge base, idempotently."""
from __future__ import annotations

import csv

import duckdb

from nlp import gazetteer
from nlp.resources import reference_path
from pipelines.load import _insert

DOC_COLUMNS = ("key", "kind", "number", "issuer", "issuing_body", "date", "term", "title", "aliases", "source_url")


def document_rows() -> list[dict]:
    path = reference_path("central_documents.csv")
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = {}
    for r in rows:
        row = {c: (r.get(c) or None) for c in DOC_COLUMNS}
        row["issuer"] = r.get("issuer_code") or r.get("issuer") or None
        row["number"] = int(row["number"]) if (row["number"] or "").isdigit() else None
        out[row["key"]] = row
    return [r for k, r in out.items() if k]


def province_rows() -> list[dict]:
    fn = getattr(gazetteer, "province_names", None)
    rows = fn() if fn else []
    out = {}
    for r in rows:
        aliases = r.get("aliases") or []
        out[r["province"]] = {"province": r["province"], "province_2025": r.get("province_2025"),
                              "aliases": "; ".join(aliases) if isinstance(aliases, list) else aliases}
    return list(out.values())


def load_reference(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The catalogs as the reference files give them, by delta: rows no longer there are deleted,
    new or changed ones inserted, and a load that finds them unchanged writes nothing."""
    docs, provs = document_rows(), province_rows()
    con.execute("BEGIN")
    try:
        changed = _sync(con, "documents", docs) + _sync(con, "provinces", provs)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return {"documents": len(docs), "provinces": len(provs), "changed": changed}


def _sync(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> int:
    """Make `table` hold exactly `rows` (whole rows compared); returns the rows deleted + inserted."""
    staged = f"_xdd_ref_{table}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {staged} AS SELECT * FROM {table} LIMIT 0")
    _insert(con, staged, rows)
    gone = con.execute(f"SELECT count(*) FROM (SELECT * FROM {table} EXCEPT SELECT * FROM {staged})").fetchone()[0]
    new = con.execute(f"SELECT count(*) FROM (SELECT * FROM {staged} EXCEPT SELECT * FROM {table})").fetchone()[0]
    if gone or new:
        # by key: a changed row is deleted and inserted again (its key is the primary key)
        key = "key" if table == "documents" else "province"
        con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM (SELECT * FROM {table} EXCEPT SELECT * FROM {staged}))")
        con.execute(f"INSERT INTO {table} SELECT * FROM (SELECT * FROM {staged} EXCEPT SELECT * FROM {table})")
    con.execute(f"DROP TABLE {staged}")
    return gone + new
