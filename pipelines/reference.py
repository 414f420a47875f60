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
    docs, provs = document_rows(), province_rows()
    con.execute("BEGIN")
    try:
        con.execute("DELETE FROM documents")
        con.execute("DELETE FROM provinces")
        _insert(con, "documents", docs)
        _insert(con, "provinces", provs)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return {"documents": len(docs), "provinces": len(provs)}
