"""Loading articles and their extractions into the knowledge base.

Idempotent and incremental: an article whose content hash and extraction hash are unchanged
is left alone; a changed one has all its facts replaced. Each batch is one transaction, so a
crash mid-load leaves the previous state intact.

Worker processes hash each batch against the hashes already stored and build its rows as
column frames (pipelines.facts); the main process only writes them, so DuckDB's inserts
overlap with the Python work of the next batches.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import uuid
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Iterable, Iterator

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.ipc  # noqa: F401  (pa.ipc)

from pipelines import db, facts, search_index
from pipelines.errors import DatabaseError


FACT_TABLES = tuple(t for t in facts.TABLES if t != "articles")
DOC_TABLES = FACT_TABLES          # every fact table is keyed by doc_id


@dataclass
class LoadReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)     # by phase (pipelines.run.load_records)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def to_dict(self) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "skipped": self.skipped}

    def summary(self) -> str:
        skipped = sum(self.skipped.values())
        line = f"load: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, {skipped} skipped"
        if self.seconds:
            total = sum(self.seconds.values())
            line += f" in {total:.1f} s (" + ", ".join(f"{k} {v:.1f}" for k, v in self.seconds.items()) + ")"
        return line


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
    # a list parameter: a filter on the scan (52 ms for 2,000 ids in a million articles; a join
    # with the ids registered as a table hashed the whole column: 280 ms)
    rows = con.execute("SELECT doc_id, content_hash, extraction_hash FROM articles WHERE doc_id = ANY(?)",
                       [list(doc_ids)]).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def load(con: duckdb.DuckDBPyConnection, pairs: Iterable[tuple[dict, dict | None]],
         batch_size: int = 1000, progress=None, workers: int = 2) -> LoadReport:
    """Load (article, extraction) pairs; extraction may be None (article only).

    While batch k is written (one transaction), batches k+1.. are hashed and turned into
    rows in `workers` processes (none: all in this process).
    """
    report = LoadReport()
    inflight: dict[str, int] = {}
    pending: deque = deque()
    with _bulk_settings(con, workers), _handover(workers) as folder, _runner(workers) as submit:
        prepare = partial(prepare_in_worker, folder, columns=table_columns(con))
        for batch in batched(pairs, batch_size):
            valid = _valid(batch, report)
            ids = list(valid)
            known = existing_hashes(con, ids)
            job = submit(prepare, list(valid.values()), known, {i for i in ids if i in inflight},
                         datetime.now(timezone.utc))
            for i in ids:
                inflight[i] = inflight.get(i, 0) + 1
            pending.append((job, ids, len(batch)))
            if len(pending) > max(workers, 1):
                _finish(con, pending.popleft(), report, progress, inflight)
        while pending:
            _finish(con, pending.popleft(), report, progress, inflight)
    if report.new or report.updated:
        con.execute("CHECKPOINT")
    return report


# While loading, DuckDB checkpoints every LOAD_CHECKPOINT of write-ahead log rather than after
# nearly every batch (each checkpoint recompresses the tables' open row groups), keeps at most
# LOAD_MEMORY of buffers, and leaves the worker processes their cores; load() checkpoints once
# at the end.
LOAD_CHECKPOINT = "2GB"   # a checkpoint's cost grows with the base (8-9 s at a million articles): at
                         # 256MB, one every ~10 batches held a million-article load to 947 articles/s
LOAD_MEMORY = "1GB"


def _bulk_settings(con, workers: int):
    threads = max(1, (multiprocessing.cpu_count() or 1) - workers) if workers >= 2 else None
    return db.settings(con, threads=threads, checkpoint_threshold=LOAD_CHECKPOINT, memory_limit=LOAD_MEMORY)


@contextmanager
def _runner(workers: int):
    """submit(fn, *args) → an object with .get(): a process pool, or in-process calls.

    Each worker's polars runs one thread: the workers and the writer already share the cores."""
    if workers < 2:
        yield lambda fn, *args: _Done(fn(*args))
        return
    with _environ(POLARS_MAX_THREADS="1"):        # read by polars when a worker imports it
        pool = multiprocessing.get_context("spawn").Pool(workers)
    with pool:
        yield lambda fn, *args: pool.apply_async(fn, args)


@contextmanager
def _environ(**values: str):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@dataclass
class _Done:
    value: object

    def get(self):
        return self.value


def _valid(batch: list, report: LoadReport) -> dict[str, tuple[dict, dict | None]]:
    """Pairs with a doc_id and a text, by doc_id (the last occurrence wins)."""
    valid = {}
    for art, ext in batch:
        if not isinstance(art, dict) or not art.get("doc_id") or not isinstance(art.get("text"), str):
            report.skip("no_doc_id_or_text")
            continue
        valid[art["doc_id"]] = (art, ext)
    return valid


def prepare_in_worker(folder: str | None, *args, **kwargs) -> facts.PreparedBatch:
    """facts.prepare_batch; with a `folder`, its frames go back as Arrow IPC files written
    there (in shared memory where the system has it), not pickled through the pool's pipe."""
    prepared = facts.prepare_batch(*args, **kwargs)
    if folder:
        for table, frame in prepared.frames.items():
            path = os.path.join(folder, f"{uuid.uuid4().hex}-{table}.arrow")
            frame.write_ipc(path, compression="uncompressed")
            prepared.files[table] = path
        prepared.frames = {}
    return prepared


@contextmanager
def _handover(workers: int):
    """A private folder for the workers' frames (none when preparing in this process)."""
    if workers < 2:
        yield None
        return
    shm = "/dev/shm"
    base = shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else tempfile.gettempdir()
    _remove_abandoned(base)
    with tempfile.TemporaryDirectory(prefix=f"xdd-load-{os.getpid()}-", dir=base) as folder:
        yield folder


def _remove_abandoned(base: str) -> None:
    """Folders of loads whose process is gone (killed before it could clean up)."""
    for path in Path(base).glob("xdd-load-*-*"):
        pid = path.name.split("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _received(prepared: facts.PreparedBatch) -> facts.PreparedBatch:
    """The worker's frames, mapped from their files (read without a copy)."""
    for table, path in prepared.files.items():
        with pa.memory_map(path) as source:
            prepared.frames[table] = pl.from_arrow(pa.ipc.open_file(source).read_all())
    return prepared


def _finish(con, item, report, progress, inflight: dict[str, int]) -> None:
    job, ids, n = item
    try:
        prepared = _received(job.get())
    except OSError as exc:          # e.g. no room left in shared memory for the hand-over files
        raise DatabaseError(f"load stopped, earlier batches are kept: a batch could not be handed over ({exc})") from None
    try:
        _commit(con, prepared)
    finally:
        prepared.frames = {}
        for path in prepared.files.values():
            os.unlink(path)
    report.unchanged += prepared.unchanged
    report.new += prepared.statuses.count("new")
    report.updated += prepared.statuses.count("updated")
    for i in ids:
        inflight[i] -= 1
        if not inflight[i]:
            del inflight[i]
    if progress:
        progress(n)


def _commit(con, prepared: "facts.PreparedBatch") -> None:
    """Replace the facts of the prepared documents in one transaction."""
    if not prepared.doc_ids:
        return
    con.execute("BEGIN")
    try:
        if prepared.replaced:
            _delete_docs(con, prepared.replaced)
        for table, frame in prepared.frames.items():
            _insert(con, table, frame)
        # the search index no longer reflects the database (pipelines.search_index)
        con.execute("UPDATE search_state SET token = ?", [search_index.new_token()])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def _delete_docs(con, doc_ids: list[str]) -> None:
    _register_ids(con, doc_ids)
    try:
        for table in (*DOC_TABLES, "articles"):
            con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM _xdd_ids)")
    finally:
        con.unregister("_xdd_ids")


def _insert(con, table: str, rows: list[dict] | pl.DataFrame) -> None:
    """Append rows (dicts, or a frame from facts.frame) to a table."""
    frame = rows if isinstance(rows, pl.DataFrame) else facts.frame(table, rows, _columns(con, table))
    if frame.is_empty():
        return
    con.register("_xdd_rows", frame)
    try:
        quoted = ", ".join(f'"{c}"' for c in frame.columns)
        con.execute(f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM _xdd_rows")
    finally:
        con.unregister("_xdd_rows")


def table_columns(con) -> dict[str, dict[str, str]]:
    return {t: _columns(con, t) for t in facts.TABLES}


_COLUMNS: dict[str, dict[str, str]] = {}


def _columns(con, table: str) -> dict[str, str]:
    """The table's columns and their DuckDB types, in order."""
    if table not in _COLUMNS:
        _COLUMNS[table] = {r[0]: r[1] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    return _COLUMNS[table]
