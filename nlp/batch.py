"""Batch extraction: article records in, contract JSONL out, order preserved.

Input is a JSONL file of ``{"doc_id", "text", "published"?}`` lines, one ``.txt`` file, or a
directory of ``.txt`` files (doc_id = file stem). Work is sent to a ``multiprocessing`` pool in
chunks, with a bounded number of chunks in flight, so memory stays flat however large the
input; each worker builds the spaCy pipeline once. Bad lines are counted by reason and
skipped, never raised.
"""
from __future__ import annotations

import json
import logging
import multiprocessing as mp
import sys
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path

log = logging.getLogger(__name__)

CHUNK_SIZE = 8
IN_FLIGHT_PER_WORKER = 2
COUNTED = ("entities", "directives", "metrics", "practices")

Item = tuple[dict | None, str | None]  # (record, skip reason)


# ------------------------------------------------------------------ reading
def check_record(obj) -> Item:
    """(normalised record, None) or (None, reason) for one parsed input object."""
    if not isinstance(obj, dict):
        return None, "not_an_object"
    text, doc_id = obj.get("text"), obj.get("doc_id")
    if not isinstance(text, str):
        return None, "no_text"
    if not text.strip():
        return None, "empty_text"
    if isinstance(doc_id, (int, float)) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        return None, "no_doc_id"
    from nlp.article import FIELDS

    return {"doc_id": doc_id, "text": text,
            **{k: obj.get(k) if isinstance(obj.get(k), str) else None for k in FIELDS}}, None


def parse_line(raw: bytes) -> Item:
    """One JSONL line (bytes) → checked record or skip reason; blank lines give (None, None)."""
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "bad_encoding"
    if not line.strip():
        return None, None
    try:
        obj = json.loads(line)
    except ValueError:
        return None, "bad_json"
    return check_record(obj)


def read_txt(path: Path) -> Item:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "bad_encoding"
    except OSError:
        return None, "unreadable"
    return check_record({"doc_id": path.stem, "text": text})


def iter_input(path: Path) -> Iterator[Item]:
    """Stream (record, reason) items from a JSONL file, a .txt file or a directory of .txt."""
    path = Path(path)
    if path.is_dir():
        for p in sorted(path.glob("*.txt")):
            yield read_txt(p)
    elif path.suffix.lower() == ".txt":
        yield read_txt(path)
    else:
        with path.open("rb") as fh:
            for raw in fh:
                item = parse_line(raw)
                if item != (None, None):
                    yield item


# ------------------------------------------------------------------ workers
def warm() -> None:
    """Build the pipeline and train the practice models (cached per process)."""
    from nlp.practices import models
    from nlp.spacy_pipeline import build_pipeline

    build_pipeline()
    models()


def extract_chunk(records: list[dict]) -> list[Item]:
    """Extract each record; a failure becomes a skip reason, never an exception."""
    from nlp.article import FIELDS
    from nlp.core import extract

    out: list[Item] = []
    for r in records:
        try:
            context = {k: r.get(k) for k in FIELDS}
            out.append((extract(r["text"], doc_id=r["doc_id"], **context), None))
        except Exception as exc:  # noqa: BLE001 - counted and reported, never raised
            log.warning("extraction failed for %s: %s: %s", r.get("doc_id"), type(exc).__name__, exc)
            out.append((None, "extract_error"))
    return out


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    buf: list[Item] = []
    for it in items:
        buf.append(it)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def _run_chunk(chunk: list[Item]) -> list[Item]:
    """Extract the good records of a chunk, keeping skipped ones in place."""
    good = [r for r, _ in chunk if r is not None]
    done = iter(extract_chunk(good)) if good else iter(())
    return [next(done) if r is not None else (None, why) for r, why in chunk]


def open_pool(workers: int):
    """A worker pool, or None for in-process work (workers <= 1).

    The parent warms up first and workers are forked from it, so the pipeline and models are
    built once and shared copy-on-write. Open the pool before starting any thread (progress).
    """
    if workers <= 1:
        return None
    warm()
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    return ctx.Pool(workers, initializer=warm)


def _ordered(pool, chunks: Iterator[list[Item]], limit: int) -> Iterator[Item]:
    """Results of chunks in input order, with at most ``limit`` chunks in flight."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(pool.apply_async(_run_chunk, (chunk,)))
        if len(pending) >= limit:
            yield from pending.popleft().get()
    while pending:
        yield from pending.popleft().get()


def run_items(items: Iterable[Item], workers: int = 2, pool=None,
              chunk_size: int = CHUNK_SIZE) -> Iterator[Item]:
    """(result, None) or (None, reason) per input item, in input order."""
    chunks = _chunks(items, chunk_size)
    limit = max(1, workers * IN_FLIGHT_PER_WORKER)
    if pool is not None:
        yield from _ordered(pool, chunks, limit)
        return
    if workers <= 1:
        for chunk in chunks:
            yield from _run_chunk(chunk)
        return
    with open_pool(workers) as own:
        yield from _ordered(own, chunks, limit)


def extract_records(records: Iterable[dict], workers: int = 2) -> Iterator[dict]:
    """Contract dicts for in-process callers, in order; invalid records are logged and skipped."""
    for result, why in run_items((check_record(r) for r in records), workers=workers):
        if result is None:
            log.warning("record skipped: %s", why)
            continue
        yield result


# ------------------------------------------------------------------ files
def _progress(enabled: bool):
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("[bold]extract[/] {task.completed} docs"),
                    TextColumn("{task.fields[skipped]} skipped"), TimeElapsedColumn(),
                    console=Console(stderr=True), disable=not enabled, transient=True)


def _summary(stats: dict, output: Path) -> str:
    skipped = ", ".join(f"{k}={v}" for k, v in sorted(stats["skipped"].items())) or "none"
    counts = " ".join(f"{k}={stats[k]}" for k in COUNTED)
    return f"extracted {stats['docs']} docs → {output} (skipped: {skipped}); {counts}"


def extract_file(input: Path, output: Path, workers: int = 2, progress: bool = True) -> dict:
    """Stream ``input`` through the extractor into contract JSONL at ``output``.

    Returns ``{"docs", "skipped": {reason: n}, "entities", "directives", "metrics", "practices"}``.
    """
    input, output = Path(input), Path(output)
    stats: dict = {"docs": 0, "skipped": Counter(), **{k: 0 for k in COUNTED}}
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".part")
    pool = open_pool(workers)
    with pool or nullcontext(), tmp.open("w", encoding="utf-8") as fh, _progress(progress) as bar:
        task = bar.add_task("extract", total=None, skipped=0)
        for result, why in run_items(iter_input(input), workers=workers, pool=pool):
            if result is None:
                stats["skipped"][why] += 1
            else:
                fh.write(json.dumps(result, ensure_ascii=False) + "\n")
                stats["docs"] += 1
                for k in COUNTED:
                    stats[k] += len(result.get(k) or [])
            bar.update(task, completed=stats["docs"], skipped=sum(stats["skipped"].values()))
    tmp.replace(output)
    stats["skipped"] = dict(stats["skipped"])
    print(_summary(stats, output), file=sys.stderr)
    return stats
