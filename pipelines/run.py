"""Wiring the stages: crawl → extract → load, reading and writing plain records."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

import duckdb

from pipelines import db, load as loader, reference, search, versions
from pipelines.errors import InputError
from pipelines.jsonl import KeyedJsonl, read_jsonl
from pipelines.progress import progress_bar


@dataclass
class RunReport:
    crawl: dict = field(default_factory=dict)
    extract: dict = field(default_factory=dict)
    load: dict = field(default_factory=dict)


def seen_from_db(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """What the crawler needs to re-crawl incrementally: doc_id → url, hashes, dates."""
    rows = con.execute("SELECT doc_id, url, canonical_url, content_hash, simhash, CAST(published AS VARCHAR), "
                       "CAST(fetched_at AS VARCHAR) FROM articles").fetchall()
    keys = ("url", "canonical_url", "content_hash", "simhash", "published", "fetched_at")
    return {r[0]: dict(zip(keys, r[1:])) for r in rows}


def extract_articles(articles: Iterable[dict], workers: int = 2,
                     rejects: dict[str, int] | None = None) -> Iterator[tuple[dict, dict]]:
    """(article, extraction) pairs, extraction run through the NLP batch runner, one result per
    article in order; an article whose extraction fails is left out (never loaded with empty
    facts) and counted in ``rejects`` by reason (``extract_error:<Type>``, ``too_large`` ...)."""
    from nlp.batch import extract_results

    arts = list(articles)
    inputs = [extraction_input(a) for a in arts]
    with progress_bar("extract", total=len(arts)) as advance:
        for art, (ext, why) in zip(arts, extract_results(inputs, workers=workers)):
            advance(1)
            if ext is None:
                if rejects is not None:
                    rejects[str(why)] = rejects.get(str(why), 0) + 1
                continue
            yield art, ext


def extraction_input(article: dict) -> dict:
    """What the extractor reads of an article: its text and the crawler's context (url, source,
    title, lead, published: where it was published and when, what it is about)."""
    from nlp.article import FIELDS

    return {"doc_id": article["doc_id"], "text": article["text"],
            **{k: _text(article.get(k)) for k in FIELDS}}


def _text(value) -> str | None:
    """A context value as the extractor takes it (a string), e.g. a datetime as ISO text."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def skip_key(url: str) -> str:
    """A skipped URL as remembered: loopback servers (demo, tests) lose their random port."""
    parts = urlsplit(url)
    if parts.hostname in ("127.0.0.1", "localhost", "::1") and parts.port:
        parts = parts._replace(netloc=parts.hostname)
    return urlunsplit(parts)


def record_skips(con: duckdb.DuckDBPyConnection, skips: Iterable[dict]) -> int:
    """Remember what the crawler skipped (not the 'unchanged' re-crawl skips)."""
    now = datetime.now(timezone.utc)
    rows = {}
    for s in skips:
        if s.get("url") and s.get("reason") != "unchanged":
            key = skip_key(s["url"])
            rows[key] = {"url": key, "reason": s.get("reason"), "detail": str(s.get("detail") or ""), "seen_at": now}
    if not rows:
        return 0
    con.execute("BEGIN")
    try:
        con.execute("DELETE FROM skips WHERE url IN (SELECT unnest(?))", [list(rows)])
        loader._insert(con, "skips", list(rows.values()))
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    # an URL that is now an article is no longer a skip
    con.execute("DELETE FROM skips WHERE url IN (SELECT url FROM articles) AND reason NOT IN ('duplicate_url')")
    return len(rows)


def load_records(db_path: Path, pairs: Iterable[tuple[dict, dict | None]], skips: Iterable[dict] = (),
                 progress=None, fts: bool = False) -> loader.LoadReport:
    """Load pairs, record skips, refresh reference tables and the search index when anything
    changed (with `fts`, DuckDB's FTS index too)."""
    # a new version of the base, published at the end (pipelines.versions): readers go on meanwhile
    clock = Clock()
    with versions.writing(db_path) as stage, db.connect(stage.db) as con, progress_bar("load") as advance:
        clock.lap("copy")                 # the live file copied to the new version (versions.writing)
        reference.load_reference(con)
        report = loader.load(con, pairs, progress=progress or advance)
        record_skips(con, skips)
        clock.lap("articles")
        from pipelines import figure_index
        # by delta for what changed since the figure index was last brought up to date (this load,
        # a removal, an interrupted earlier load); it finds that itself, and does nothing otherwise
        figure_index.update(con, fts=fts or search.fts_ready(con))
        con.execute("CHECKPOINT")
        clock.lap("figure index")
        with _index_memory(con):
            stage.sync_index(con)         # add, delete what changed (in a new index version)
        clock.lap("search index")
    clock.lap("publish")
    report.seconds = clock.laps
    return report


class Clock:
    """Seconds between laps, by name (what `xdd load` says it spent where)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(self.laps.get(name, 0.0) + now - self._t, 2)
        self._t = now


def _index_memory(con: duckdb.DuckDBPyConnection):
    """DuckDB's buffers capped while the search index reads the units: without a limit DuckDB
    may keep up to 80% of RAM of the pages it read (the index build of 1,000,000 articles
    peaked at 8.6 GB of RSS without it; tantivy's memory-mapped segments count in RSS too)."""
    return search._memory_limit(con, INDEX_MEMORY_BYTES)


# The search index reads its units a chunk at a time: DuckDB needs little memory for that. On
# the 100,000-article bench base a rebuild peaked at 1.4 GB RSS with 512 MB (3.4 GB unbounded)
# in about the same time.
INDEX_MEMORY_BYTES = 512 * 1024 ** 2


def reindex(db_path: Path, fts: bool | None = None) -> dict[str, int]:
    """`xdd index`: rebuild the derived tables (figure index) and the search index from the
    database; `fts` True builds DuckDB's FTS index too, False drops it, None keeps it as it is.
    Returns sizes."""
    with versions.writing(db_path) as stage, db.connect(stage.db) as con:
        if fts is False:
            search.drop_fts_index(con)
        search.rebuild_derived_tables(con, fts=bool(fts) or search.fts_ready(con))
        con.execute("CHECKPOINT")
        with _index_memory(con):
            synced = stage.sync_index(con, rebuild=True)
        sizes = {"metric_facts": con.execute("SELECT count(*) FROM metric_facts").fetchone()[0],
                 "search index units": synced["units"]}
    return sizes


def optimize(db_path: Path) -> dict:
    """`xdd index --optimize`: compact the knowledge base without rebuilding what is compact.

    - the figure index is brought up to date (by delta) and, when loads appended rows to it since
      it was last sorted, both its tables are rewritten in base-key order (figure_index.optimize);
    - the search index is rebuilt when it holds deleted documents (old versions of changed or
      removed articles, which still count in BM25's statistics until tantivy merges their
      segments; tantivy's Python binding has no explicit merge) or is not in step.

    Results of every query are the same before and after (scores: those of a fresh index).
    When nothing needs it, nothing is written (the base is not copied): a second run is a no-op.
    Returns {"figures": rows sorted or "rebuilt" or 0, "search": deleted documents purged or
    "rebuilt" or 0, "segments": [before, after], "written": bool}."""
    db_path = Path(db_path)
    if not db_path.exists():
        from pipelines.errors import XddError

        raise XddError(f"no knowledge base at {db_path}: run `xdd demo` or `xdd load` first")
    with db.connect(db_path, read_only=True) as con:
        plan = _compaction(con, db_path)
    if not (plan["figures"] or plan["search"]):
        return {**plan, "written": False}
    from pipelines import figure_index

    with versions.writing(db_path) as stage, db.connect(stage.db) as con:
        plan = _compaction(con, stage.live)           # again, now that this is the only writer
        fts = search.fts_ready(con)
        if plan["figures"] == "rebuilt":
            figure_index.rebuild(con, fts=fts)
        elif plan["figures"]:
            figure_index.update(con, fts=fts)
            if figure_index.unsorted(con):
                con.execute("BEGIN")
                try:
                    with search._memory_limit(con, search.REBUILD_MEMORY_BYTES):   # the sorts spill
                        figure_index.optimize(con)
                    con.execute("COMMIT")
                except Exception:
                    con.execute("ROLLBACK")
                    raise
        con.execute("CHECKPOINT")
        if plan["search"]:
            with _index_memory(con):
                stage.sync_index(con, rebuild=True)
            plan["segments"][1] = _segments(stage.new_index)[0]
    return {**plan, "written": True}


def _compaction(con: duckdb.DuckDBPyConnection, live: Path) -> dict:
    """What `optimize` has to do on this database (see there)."""
    from pipelines import figure_index, search_index

    if not figure_index.ready(con):
        figures = "rebuilt"
    else:
        figures = figure_index.unsorted(con) or (figure_index.changed_docs(con) and "update")
        con.execute("DROP TABLE IF EXISTS _xdd_changed")
    path = versions.index_dir(con, live)
    state = search_index.status(con, path)
    segments, deleted = _segments(path)
    if state in ("missing", "layout", "stale"):
        todo = "rebuilt"
    else:
        todo = deleted
    return {"figures": figures, "search": todo, "segments": [segments, segments]}


def _segments(path: Path | None) -> tuple[int, int]:
    """(segments, deleted documents) of a tantivy index folder ((0, 0) without one)."""
    import json

    try:
        meta = json.loads((Path(path) / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return 0, 0
    return (len(meta.get("segments", [])),
            sum((s.get("deletes") or {}).get("num_deleted_docs", 0) for s in meta.get("segments", [])))


def load_files(db_path: Path, articles_path: Path, extractions_path: Path | None = None,
               extract: bool = True, workers: int = 2, fts: bool = False) -> loader.LoadReport:
    """`xdd load`: articles JSONL (+ extraction JSONL, or extract inline) into the knowledge base."""
    bad: dict[str, int] = {}
    if not Path(articles_path).exists():
        raise InputError(f"no such file: {articles_path}")     # before a new version is begun
    skips_path = Path(articles_path).with_suffix(".skips.jsonl")
    skips = list(read_jsonl(skips_path)) if skips_path.exists() else []
    if extractions_path:
        # streamed: the articles line by line, each extraction read by its offset (memory holds
        # the extractions' ids and offsets, not the files: a backfill of any size loads)
        with KeyedJsonl(extractions_path, "doc_id", bad) as exts:
            pairs = ((a, exts.get(a.get("doc_id"))) for a in read_jsonl(articles_path, bad))
            report = load_records(db_path, pairs, skips, fts=fts)
    elif extract:
        articles = list(read_jsonl(articles_path, bad))
        pairs = list(extract_articles([a for a in articles if _loadable(a, bad)], workers, rejects=bad))
        report = load_records(db_path, pairs, skips, fts=fts)
    else:
        report = load_records(db_path, ((a, None) for a in read_jsonl(articles_path, bad)), skips, fts=fts)
    for reason, n in bad.items():
        report.skipped[reason] = report.skipped.get(reason, 0) + n
    return report


def _loadable(a: dict, bad: dict[str, int]) -> bool:
    ok = bool(a.get("doc_id")) and isinstance(a.get("text"), str)
    if not ok:
        bad["no_doc_id_or_text"] = bad.get("no_doc_id_or_text", 0) + 1
    return ok
