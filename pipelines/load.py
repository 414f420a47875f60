"""Loading articles and their extractions into the knowledge base.

Idempotent and incremental: an article whose content hash and extraction hash are unchanged
is left alone; a changed one has all its facts replaced. Each batch is one transaction, so a
crash mid-load leaves the previous state intact.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Iterator

import duckdb
import polars as pl

from pipelines import facts

FACT_TABLES = ("sentences", "mentions", "directives", "metrics", "practices", "places", "search_units")


@dataclass
class LoadReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def to_dict(self) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "skipped": self.skipped}

    def summary(self) -> str:
        skipped = sum(self.skipped.values())
        return f"load: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, {skipped} skipped"


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def extraction_hash(extraction: dict | None) -> str | None:
    if extraction is None:
        return None
    return sha1(json.dumps(extraction, ensure_ascii=False, sort_keys=True))


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def existing_hashes(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> dict[str, tuple]:
    rows = con.execute(
        "SELECT doc_id, content_hash, extraction_hash FROM articles WHERE doc_id IN (SELECT unnest(?))",
        [doc_ids]).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def load(con: duckdb.DuckDBPyConnection, pairs: Iterable[tuple[dict, dict | None]],
         batch_size: int = 500, progress=None) -> LoadReport:
    """Load (article, extraction) pairs; extraction may be None (article only)."""
    report = LoadReport()
    for batch in batched(pairs, batch_size):
        _load_batch(con, batch, report)
        if progress:
            progress(len(batch))
    return report


def _classify(con, batch, report) -> list[tuple[dict, dict | None, str]]:
    valid = []
    for art, ext in batch:
        if not isinstance(art, dict) or not art.get("doc_id") or not isinstance(art.get("text"), str):
            report.skip("no_doc_id_or_text")
            continue
        valid.append((art, ext))
    old = existing_hashes(con, [a["doc_id"] for a, _ in valid])
    todo = []
    for art, ext in valid:
        chash, ehash = art.get("content_hash") or sha1(art["text"]), extraction_hash(ext)
        prev = old.get(art["doc_id"])
        if prev == (chash, ehash) or (prev and prev[0] == chash and ext is None):
            report.unchanged += 1
            continue
        art = {**art, "content_hash": chash, "extraction_hash": ehash}
        todo.append((art, ext, "updated" if prev else "new"))
    return todo


def _load_batch(con, batch, report) -> None:
    todo = _classify(con, batch, report)
    if not todo:
        return
    tables = facts.rows_for_batch([(a, e) for a, e, _ in todo], loaded_at=datetime.now(timezone.utc))
    ids = [a["doc_id"] for a, _, _ in todo]
    con.execute("BEGIN")
    try:
        for table in FACT_TABLES:
            con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest(?))", [ids])
        con.execute("DELETE FROM articles WHERE doc_id IN (SELECT unnest(?))", [ids])
        for table, rows in tables.items():
            _insert(con, table, rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    for _, _, status in todo:
        setattr(report, status, getattr(report, status) + 1)


def _insert(con, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    frame = pl.DataFrame([{c: r.get(c) for c in cols} for r in rows], schema_overrides=_schema(table))
    con.register("_xdd_rows", frame)
    try:
        quoted = ", ".join(f'"{c}"' for c in cols)
        con.execute(f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM _xdd_rows")
    finally:
        con.unregister("_xdd_rows")


def _schema(table: str) -> dict:
    common = {"start": pl.Int64, "end": pl.Int64, "text": pl.Utf8}
    extra = {
        "articles": {"tags": pl.List(pl.Utf8), "published": pl.Utf8, "fetched_at": pl.Utf8,
                     "loaded_at": pl.Datetime(time_zone="UTC")},
        "metrics": {"value": pl.Float64},
        "practices": {"score": pl.Float64},
        "directives": {"number": pl.Int64, "date": pl.Utf8},
    }
    return {**common, **extra.get(table, {})} if table != "articles" else extra["articles"]
