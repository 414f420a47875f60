"""Loading articles and their extractions into the knowledge base.

Idempotent and incremental: an article whose content hash and extraction hash are unchanged
is left alone; a changed one has all its facts replaced. Each batch is one transaction, so a
crash mid-load leaves the previous state intact.
"""
from __future__ import annotations

import hashlib
import multiprocessing
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import chain
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
    """Hash of an extraction by value (repr is deterministic for JSON-like data, and fast)."""
    if extraction is None:
        return None
    return sha1(repr(extraction))


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _register_ids(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> None:
    """Expose ids as the view `_xdd_ids` (a bound list would be type-checked item by item)."""
    con.register("_xdd_ids", pl.DataFrame({"doc_id": doc_ids}, schema={"doc_id": pl.Utf8}))


def existing_hashes(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> dict[str, tuple]:
    _register_ids(con, doc_ids)
    try:
        rows = con.execute("SELECT doc_id, content_hash, extraction_hash FROM articles "
                           "WHERE doc_id IN (SELECT doc_id FROM _xdd_ids)").fetchall()
    finally:
        con.unregister("_xdd_ids")
    return {r[0]: (r[1], r[2]) for r in rows}


def load(con: duckdb.DuckDBPyConnection, pairs: Iterable[tuple[dict, dict | None]],
         batch_size: int = 1000, progress=None, workers: int = 2) -> LoadReport:
    """Load (article, extraction) pairs; extraction may be None (article only).

    Rows of batch k+1 are built in worker processes while batch k is written, each batch
    in one transaction.
    """
    report = LoadReport()
    batches = batched(pairs, batch_size)
    first = next(batches, None)
    if first is None:
        return report
    second = next(batches, None)
    all_batches = chain([first], [second] if second else [], batches)
    if second is None or workers < 2:
        for batch in all_batches:
            _write(con, _classify(con, batch, report, set()), facts.rows_for_batch, report, progress, len(batch))
    else:
        _load_parallel(con, all_batches, report, progress, workers)
    return report


def _load_parallel(con, batches, report, progress, workers) -> None:
    ctx = multiprocessing.get_context("spawn")
    inflight: set[str] = set()
    pending: deque = deque()
    with ctx.Pool(workers) as pool:
        for batch in batches:
            todo = _classify(con, batch, report, inflight)
            inflight.update(a["doc_id"] for a, _, _ in todo)
            job = pool.apply_async(facts.rows_for_batch, ([(a, e) for a, e, _ in todo], datetime.now(timezone.utc)))
            pending.append((todo, job, len(batch)))
            if len(pending) > workers:
                _finish(con, pending.popleft(), report, progress, inflight)
        while pending:
            _finish(con, pending.popleft(), report, progress, inflight)


def _finish(con, item, report, progress, inflight) -> None:
    todo, job, n = item
    tables = job.get()
    _write(con, todo, lambda pairs, loaded_at: tables, report, progress, n)
    inflight.difference_update(a["doc_id"] for a, _, _ in todo)


def _classify(con, batch, report, inflight: set[str]) -> list[tuple[dict, dict | None, str]]:
    valid = []
    for art, ext in batch:
        if not isinstance(art, dict) or not art.get("doc_id") or not isinstance(art.get("text"), str):
            report.skip("no_doc_id_or_text")
            continue
        valid.append((art, ext))
    valid = list({a["doc_id"]: (a, e) for a, e in valid}.values())   # last occurrence wins
    old = existing_hashes(con, [a["doc_id"] for a, _ in valid])
    todo = []
    for art, ext in valid:
        chash, ehash = art.get("content_hash") or sha1(art["text"]), extraction_hash(ext)
        prev = old.get(art["doc_id"])
        if prev == (chash, ehash) or (prev and prev[0] == chash and ext is None):
            report.unchanged += 1
            continue
        art = {**art, "content_hash": chash, "extraction_hash": ehash}
        todo.append((art, ext, "updated" if prev or art["doc_id"] in inflight else "new"))
    return todo


def _write(con, todo, build, report, progress, n) -> None:
    """Replace the facts of the documents in `todo` in one transaction."""
    if todo:
        tables = build([(a, e) for a, e, _ in todo], datetime.now(timezone.utc))
        _commit(con, todo, tables, report)
    if progress:
        progress(n)


def _commit(con, todo, tables, report) -> None:
    replaced = [a["doc_id"] for a, _, status in todo if status == "updated"]
    con.execute("BEGIN")
    try:
        if replaced:
            _delete_docs(con, replaced)
        for table, rows in tables.items():
            _insert(con, table, rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    for _, _, status in todo:
        setattr(report, status, getattr(report, status) + 1)


def _delete_docs(con, doc_ids: list[str]) -> None:
    _register_ids(con, doc_ids)
    try:
        for table in (*FACT_TABLES, "articles"):
            con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM _xdd_ids)")
    finally:
        con.unregister("_xdd_ids")


def _insert(con, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    cols = _columns(con, table)
    data = {c: [r.get(c) for r in rows] for c in cols}
    frame = pl.DataFrame(data, schema_overrides=_schema(table), strict=False)
    con.register("_xdd_rows", frame)
    try:
        quoted = ", ".join(f'"{c}"' for c in cols)
        con.execute(f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM _xdd_rows")
    finally:
        con.unregister("_xdd_rows")


_COLUMNS: dict[str, list[str]] = {}


def _columns(con, table: str) -> list[str]:
    if table not in _COLUMNS:
        _COLUMNS[table] = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    return _COLUMNS[table]


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
