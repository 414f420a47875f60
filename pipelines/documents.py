"""Read-only views of the knowledge base: one document, citations, exports, stats."""
from __future__ import annotations

from pathlib import Path

from pipelines import db, queries
from pipelines.run import extraction_input
from pipelines.errors import XddError
from pipelines.textindex import document_key

EXPORT_TABLES = ("articles", "sentences", "mentions", "directives", "metrics", "practices", "places",
                 "documents", "provinces", "skips")


def show_document(db_path: Path, doc: str) -> tuple[str, dict]:
    """(text, extraction) of a stored article (doc_id or URL) or of a local .txt file."""
    from nlp import extract

    path = Path(doc)
    if path.suffix == ".txt" and path.exists():
        text = path.read_text(encoding="utf-8", errors="replace")
        return text, extract(text, doc_id=path.stem)
    with db.connect(db_path, read_only=True) as con:
        cur = con.execute("SELECT doc_id, text, url, source, title, lead, published FROM articles "
                          "WHERE doc_id = ? OR url = ? OR canonical_url = ? LIMIT 1", [doc, doc, doc])
        row = cur.fetchone()
        cols = [d[0] for d in cur.description]
    if row is None:
        raise XddError(f"no article {doc!r} in {db_path}")
    art = dict(zip(cols, row))
    return art["text"], extract(**extraction_input(art))


def citations(db_path: Path, key: str) -> tuple[dict, list[dict]]:
    key = document_key(key)
    with db.connect(db_path, read_only=True) as con:
        cur = queries.run(con, "document_info", {"key": key})
        info_row = cur.fetchone()
        info = dict(zip([d[0] for d in cur.description], info_row)) if info_row else {"key": key}
        cur = queries.run(con, "document_citations", {"key": key})
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    if not rows and not info_row:
        raise XddError(f"document {key!r} is neither in the catalog nor cited in the knowledge base")
    return info, rows


def export_tables(db_path: Path, directory: Path, fmt: str) -> dict[str, int]:
    directory.mkdir(parents=True, exist_ok=True)
    out = {}
    with db.connect(db_path, read_only=True) as con:
        for table in EXPORT_TABLES:
            target = directory / f"{table}.{fmt}"
            options = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER true)"
            con.execute(f"COPY (SELECT * FROM {table}) TO '{_sql_path(target)}' {options}")
            out[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return out


def _sql_path(path: Path) -> str:
    """A file path as a SQL string literal body (COPY cannot take a bound parameter)."""
    return str(path).replace("'", "''")


def stats(db_path: Path, provinces: bool = False) -> list[dict]:
    with db.connect(db_path, read_only=True) as con:
        if provinces:
            cur = queries.run(con, "summary_by_province")
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]
        return [{"table": t, "rows": n} for t, n in db.table_counts(con).items()]
