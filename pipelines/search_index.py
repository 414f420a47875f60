"""The search index: a tantivy index beside the DuckDB file (`data/xdd.index/` for
`data/xdd.duckdb`), DuckDB staying the system of record.

One document per search unit (an article, or a practice passage: `search_units`), keyed by its
`unit_key`, syndicated copies left out. Its words are stored pre-tokenized in the field `terms`
(pipelines.textindex.index_terms: tone-folded syllables, then syllable bigrams, separated by
spaces) and split again by tantivy's whitespace tokenizer, so indexing and querying use the one
tokenization defined in Python; a syllable's position is its rank, so phrases are position
queries over syllables. The filters are indexed fields: kind, province as reported and after
2025, source, day (publication date, as a day number), the article's practice categories (a
practice: its own), the documents it cites, and its place names tone-folded (for --district);
those the web page's facets count are fast fields too (counted by tantivy's aggregations), with
the year. What a search result shows is stored in the document (`hit`: JSON of the unit's
title, date, URL, place, span, text (an article's with its sentence spans and folded form) and,
for a practice, its record fields), so a search reads
nothing from DuckDB. That copy stays true because a unit's key is new for each version of its
article and extraction (pipelines.facts.search_rows), and the index is refused when it is not
in step with the database.

Keeping it in step with the database: each load transaction that writes facts sets a new
random token in `search_state` (pipelines.load); `sync` makes the index hold exactly the units of
the database (adding and deleting the difference) and records, beside tantivy's files, the token
it reflects, tantivy's commit stamp and the unit keys it holds (`xdd_state.json`,
`xdd_units.npy`). A search compares the token and the stamp and refuses a stale or missing index
with "run `xdd index`"; `xdd index` rebuilds it from the database.

BM25 is tantivy's (k1 = 1.2, b = 0.75, idf = ln(1 + (N - n + 0.5) / (n + 0.5)), lengths coded
on one byte). Like any Lucene-style engine, a deleted document (a changed or removed article's
old version) still counts in N, n and the average length until tantivy merges its segment:
after incremental loads scores can differ slightly from a fresh index (the same documents
match); `sync` rebuilds from scratch once deleted documents pass COMPACT_RATIO of the index.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import tantivy

from nlp.sentences import split_sentences
from nlp.text import fold
from pipelines import queries
from pipelines.errors import DatabaseError
from pipelines.textindex import index_terms, key64

SCHEMA_VERSION = 3
STATE_FILE = "xdd_state.json"
UNITS_FILE = "xdd_units.npy"
COMPACT_RATIO = 0.25          # rebuild once deleted documents are this share of the index
WRITER_HEAP = 128_000_000
CHUNK = 20000                 # units fetched from DuckDB and added per round

# The units the index holds: every search unit but those of syndicated copies.
DB_UNITS = ("SELECT u.unit_key FROM search_units u JOIN articles a USING (doc_id) "
            "WHERE a.duplicate_of IS NULL ORDER BY u.unit_key")

STRING_FIELDS = ("kind", "province", "province_2025", "source", "category", "document", "place")
FACET_FIELDS = ("kind", "province", "province_2025", "source", "category", "document")   # fast: counted


def schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("unit_key", stored=True, indexed=True, fast=True)
    sb.add_unsigned_field("order", fast=True)          # unit_order: ties are broken by unit id
    sb.add_text_field("terms", tokenizer_name="whitespace", index_option="position")
    for name in STRING_FIELDS:
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=name in FACET_FIELDS)
    sb.add_integer_field("day", indexed=True, fast=True)
    sb.add_integer_field("year", fast=True)
    sb.add_integer_field("content", indexed=True, fast=True)    # key of the terms: same words, same score
    sb.add_bytes_field("hit", stored=True)             # what a result shows (JSON; see HIT_FIELDS)
    return sb.build()


SCHEMA = schema()


# ------------------------------------------------------------------ where and what state
def index_path(db_path: Path | str) -> Path:
    """`data/xdd.index` for `data/xdd.duckdb`."""
    return Path(db_path).with_suffix(".index")


def db_path_of(con: duckdb.DuckDBPyConnection) -> Path | None:
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return Path(row[0]) if row and row[0] else None


def db_token(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT max(token) FROM search_state").fetchone()
    return int(row[0] or 0)


def new_token() -> int:
    """A token for search_state: new for each load transaction (random, so a database copied
    from elsewhere does not pass for the one an index was built from)."""
    return random.SystemRandom().getrandbits(62) + 1


def _read_state(path: Path) -> dict | None:
    try:
        return json.loads((path / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _opstamp(path: Path) -> int | None:
    try:
        return int(json.loads((path / "meta.json").read_text(encoding="utf-8"))["opstamp"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _deleted(path: Path) -> tuple[int, int]:
    """(deleted documents, all documents) of the committed segments."""
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    total = sum(s["max_doc"] for s in meta["segments"])
    deleted = sum((s.get("deletes") or {}).get("num_deleted_docs", 0) for s in meta["segments"])
    return deleted, total


def _write_state(path: Path, token: int, opstamp: int | None, units: np.ndarray) -> None:
    tmp = path / (UNITS_FILE + ".tmp")
    with open(tmp, "wb") as fh:
        np.save(fh, units)
    os.replace(tmp, path / UNITS_FILE)
    tmp = path / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps({"schema": SCHEMA_VERSION, "token": token, "opstamp": opstamp,
                               "units": int(len(units))}), encoding="utf-8")
    os.replace(tmp, path / STATE_FILE)


def _forget_state(path: Path) -> None:
    """Before the index changes: until the new state is written, the index counts as stale."""
    for name in (STATE_FILE, UNITS_FILE):
        try:
            os.unlink(path / name)
        except FileNotFoundError:
            pass


def status(con: duckdb.DuckDBPyConnection, path: Path | None = None, token: int | None = None) -> str:
    """'fresh', 'empty' (no index and nothing to index), 'missing', 'layout' or 'stale'."""
    path = path or index_path(db_path_of(con))
    state = _read_state(path) if (path / "meta.json").exists() else None
    if state is None:
        has_units = con.execute("SELECT EXISTS (SELECT 1 FROM search_units)").fetchone()[0]
        if not (path / "meta.json").exists():
            return "missing" if has_units else "empty"
        return "stale"
    if state.get("schema") != SCHEMA_VERSION:
        return "layout"
    if state.get("token") != (db_token(con) if token is None else token) or state.get("opstamp") != _opstamp(path):
        return "stale"
    return "fresh"


MESSAGES = {"missing": "the search index {path} is missing: run `xdd index`",
            "layout": "the search index {path} is of an older layout: run `xdd index`",
            "stale": "the search index {path} is out of date with the database (an interrupted load?): run `xdd index`"}


# ------------------------------------------------------------------ opening for search
_OPEN: dict[str, tuple[tuple, tantivy.Index, int, dict]] = {}
# What a read-only connection resolved (its database cannot change while it is open: no writer
# opens a file a reader holds, and loads publish new files): index folder and token.
_RESOLVED: "weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, tuple[Path, int]]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class OpenIndex:
    """A searcher of the database's index, the number of documents its BM25 counts (N: every
    document of its segments, deleted ones too, as tantivy counts them) and, shared by the
    searchers of one index version, the best score of each term searched so far."""
    searcher: tantivy.Searcher
    max_doc: int
    term_max: dict = field(default_factory=dict, compare=False)   # pipelines.search.term_bounds' cache


def open_searcher(con: duckdb.DuckDBPyConnection) -> tantivy.Searcher | None:
    """The searcher of the database's index, or None when nothing is indexed yet; raises
    DatabaseError (one line, "run `xdd index`") when the index is missing or stale."""
    opened = open_index(con)
    return opened.searcher if opened else None


def open_index(con: duckdb.DuckDBPyConnection) -> OpenIndex | None:
    """open_searcher(), with the index's document count. A read-only connection asks DuckDB
    once which index and token are its own."""
    try:
        path, token = _RESOLVED[con]
    except (KeyError, TypeError):
        path, token = _resolve(con)
    state = status(con, path, token)
    if state == "empty":
        return None
    if state != "fresh":
        raise DatabaseError(MESSAGES[state].format(path=path))
    stamp = (_opstamp(path), path.stat().st_ino)      # a rebuilt index is a new folder
    cached = _OPEN.get(str(path))
    if cached is None or cached[0] != stamp:
        for gone in [k for k in _OPEN if not os.path.isdir(k)]:
            del _OPEN[gone]             # index versions removed since (their files are freed)
        try:
            index = tantivy.Index.open(str(path))
            max_doc = _deleted(path)[1]
        except Exception as exc:        # noqa: BLE001  (tantivy raises ValueError/OSError variants)
            raise DatabaseError(f"cannot open the search index {path} ({exc}): run `xdd index`") from None
        cached = _OPEN[str(path)] = (stamp, index, max_doc, {})
    return OpenIndex(cached[1].searcher(), cached[2], cached[3])


def _resolve(con: duckdb.DuckDBPyConnection) -> tuple[Path, int]:
    where, token, mode = con.execute(
        "SELECT (SELECT path FROM duckdb_databases() WHERE database_name = current_database()), "
        "(SELECT max(token) FROM search_state), current_setting('access_mode')").fetchone()
    if not where or where == ":memory:":
        raise DatabaseError("an in-memory database has no search index: search a database file")
    from pipelines.versions import index_dir

    path = index_dir(con, where)       # the index version this database was published with
    token = int(token or 0)
    if mode == "read_only":
        try:
            _RESOLVED[con] = (path, token)
        except TypeError:
            pass
    return path, token


# ------------------------------------------------------------------ keeping it in step
def sync(con: duckdb.DuckDBPyConnection, path: Path | None = None, rebuild: bool = False) -> dict:
    """Make the index hold exactly the database's units: add those it lacks, delete those the
    database no longer has (changed or removed articles), record the database's token. With
    `rebuild` (or no usable index, or too many deleted documents) build it anew beside the old
    one and swap. Returns counts: added, deleted, units, rebuilt."""
    path = path or index_path(db_path_of(con))
    token = db_token(con)
    want = np.asarray(con.execute(DB_UNITS).fetchnumpy()["unit_key"], dtype=np.int64)
    state = _read_state(path) if (path / "meta.json").exists() else None
    older = state is not None and state.get("schema") != SCHEMA_VERSION
    if not rebuild and not older and (path / "meta.json").exists():
        try:
            index = tantivy.Index.open(str(path))
            have = _held(path, state, index) if state is not None or _compatible(index) else None
        except Exception:               # noqa: BLE001  (a damaged index: rebuild it)
            have = None
        if have is not None:
            added, deleted = _apply(con, index, path, token, want, have)
            dead, total = _deleted(path)
            if not total or dead <= COMPACT_RATIO * total:
                return {"added": added, "deleted": deleted, "units": int(len(want)), "rebuilt": False}
    return _rebuild(con, path, token, want)


def _compatible(index: tantivy.Index) -> bool:
    """An index without our state files (a crash between tantivy's commit and ours) is still
    usable if it has our fields."""
    try:
        for name in ("unit_key", "order", "day", "year", "content"):
            tantivy.Query.term_query(index.schema, name, 0)
        for name in ("terms", *STRING_FIELDS):
            tantivy.Query.term_query(index.schema, name, "")
        return True
    except Exception:                   # noqa: BLE001
        return False


def _held(path: Path, state: dict | None, index: tantivy.Index) -> np.ndarray:
    """The unit keys the index holds: from our state file when it describes the committed
    index, else read from the index itself."""
    if state is not None and state.get("opstamp") == _opstamp(path):
        try:
            return np.load(path / UNITS_FILE)
        except (OSError, ValueError):
            pass
    index.reload()
    searcher = index.searcher()
    n = searcher.num_docs
    if not n:
        return np.zeros(0, dtype=np.int64)
    hits = searcher.search(tantivy.Query.all_query(), limit=n, count=False).hits
    return np.sort(np.array(searcher.fast_field_values("unit_key", [a for _, a in hits]), dtype=np.int64))


def _apply(con, index: tantivy.Index, path: Path, token: int, want: np.ndarray, have: np.ndarray) -> tuple[int, int]:
    add = np.setdiff1d(want, have, assume_unique=True)
    remove = np.setdiff1d(have, want, assume_unique=True)
    if len(add) or len(remove):
        _forget_state(path)
        writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
        try:
            for key in remove.tolist():
                writer.delete_documents_by_term("unit_key", key)
            _add(con, writer, add)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
    _write_state(path, token, _opstamp(path), want)
    return int(len(add)), int(len(remove))


def _rebuild(con, path: Path, token: int, want: np.ndarray) -> dict:
    for left in [*path.parent.glob(path.name + ".new-*"), *path.parent.glob(path.name + ".old-*")]:
        shutil.rmtree(left, ignore_errors=True)     # of a rebuild killed midway (one writer at a time)
    fresh = path.with_name(path.name + f".new-{os.getpid()}")
    fresh.mkdir(parents=True)
    index = tantivy.Index(SCHEMA, path=str(fresh), reuse=False)
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=max(1, min(4, (os.cpu_count() or 1))))
    try:
        _add(con, writer, want)
        writer.commit()
    finally:
        writer.wait_merging_threads()
    _write_state(fresh, token, _opstamp(fresh), want)
    old = path.with_name(path.name + f".old-{os.getpid()}")
    if path.exists():
        os.replace(path, old)
    os.replace(fresh, path)
    shutil.rmtree(old, ignore_errors=True)
    _OPEN.pop(str(path), None)
    return {"added": int(len(want)), "deleted": 0, "units": int(len(want)), "rebuilt": True}


def _add(con, writer: tantivy.IndexWriter, keys: np.ndarray) -> None:
    """Add the units `keys` to the index, fetched from DuckDB a chunk at a time, in the order of
    their articles' rowids (each chunk reads a range of the articles table). (Computing the
    terms in worker processes gained nothing measurable on the 2-core machine.)"""
    keys, rowids = _by_article(con, keys)
    for start in range(0, len(keys), CHUNK):
        part = slice(start, start + CHUNK)
        for row in _fetch(con, keys[part], int(rowids[part][0]), int(rowids[part][-1])):
            writer.add_document(document(row))


@contextmanager
def _units_frame(con, keys: np.ndarray):
    """`keys` registered as the frame `_xdd_units` (unit_key) for the queries inside."""
    con.register("_xdd_units", pl.DataFrame({"unit_key": keys}, schema={"unit_key": pl.Int64}))
    try:
        yield
    finally:
        con.unregister("_xdd_units")


def _by_article(con, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`keys` (those the database has) ordered by their article's rowid, with the rowids."""
    if not len(keys):
        return keys, keys
    with _units_frame(con, keys):
        got = con.execute("SELECT u.unit_key, a.rowid AS r FROM search_units u JOIN _xdd_units USING (unit_key) "
                          "JOIN articles a USING (doc_id) ORDER BY r, u.unit_key").fetchnumpy()
    return np.asarray(got["unit_key"], dtype=np.int64), np.asarray(got["r"], dtype=np.int64)


def _fetch(con, keys: np.ndarray, lo: int, hi: int) -> list[dict]:
    with _units_frame(con, keys):
        cursor = queries.run(con, "search_index_units", {"lo": lo, "hi": hi})
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r)) for r in cursor.fetchall()]


def unit_text(row: dict) -> str:
    """The words of a unit, as pipelines.facts.search_rows gives them (a practice's passage is
    sliced in SQL)."""
    text = row["text"] or ""
    if row["kind"] == "practice":
        return text
    head = " ".join(filter(None, [row.get("title"), row.get("lead")]))
    return f"{head}\n{text}"


def document(row: dict, terms: str | None = None) -> tantivy.Document:
    """The index document of a unit row (search_index_units.sql); `terms`: its index terms,
    if already computed."""
    doc = tantivy.Document()
    doc.add_integer("unit_key", int(row["unit_key"]))
    doc.add_unsigned("order", unit_order(row["unit_id"]))
    terms = index_terms(unit_text(row)) if terms is None else terms
    doc.add_text("terms", terms)
    doc.add_integer("content", key64(terms))
    for name in ("kind", "province", "province_2025", "source"):
        if row.get(name):
            doc.add_text(name, row[name])
    categories = [row["category"]] if row["kind"] == "practice" else (row.get("categories") or [])
    for c in filter(None, categories):
        doc.add_text("category", c)
    for d in row.get("documents") or []:
        doc.add_text("document", d)
    for p in {_folded(p) for p in row.get("places") or []}:
        doc.add_text("place", p)
    if row.get("day"):
        doc.add_integer("day", day_number(row["day"]))
        doc.add_integer("year", int(str(row["day"])[:4]))
    doc.add_bytes("hit", hit_json(row))
    return doc


HIT_FIELDS = ("unit_id", "kind", "doc_id", "title", "published", "province", "province_2025", "district",
              "category", "url", "start", "end", "text")
RECORD_FIELDS = ("actor", "actor_norm", "place_name", "place_level", "commune", "documents", "outcome", "time")


def hit_json(row: dict) -> bytes:
    """What a search result shows of a unit (pipelines.search reads it back with read_hit): its
    fields, the text its sentence is picked from (an article's text; a practice's passage) and
    a practice's record fields (search_index_units.sql)."""
    hit = {k: row.get(k) for k in HIT_FIELDS}
    if row.get("kind") == "article":       # its sentences and folded text, to pick the one to show
        text = row.get("text") or ""
        hit["sents"] = [x for span in split_sentences(text) for x in span]
        folded = fold(text)
        hit["folded"] = folded if len(folded) == len(text) else None
    if row.get("kind") == "practice":
        hit["record"] = {k: row.get("record_documents" if k == "documents" else k) for k in RECORD_FIELDS}
    return json.dumps(hit, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def read_hit(searcher: tantivy.Searcher, address) -> dict:
    return json.loads(searcher.doc(address).get_first("hit"))


def unit_order(unit_id: str) -> int:
    """The first 8 bytes of a unit id as an unsigned integer: ordered as the ids are (byte-wise,
    as DuckDB and Python order strings), equal only for ids sharing those bytes."""
    return int.from_bytes(unit_id.encode("utf-8")[:8].ljust(8, b"\0"), "big")


@lru_cache(maxsize=1 << 16)
def _folded(name: str) -> str:
    return fold(name)


def day_number(day: str) -> int:
    return date.fromisoformat(str(day)[:10]).toordinal()


# ------------------------------------------------------------------ queries
_REGEX_META = set(r"\.+*?()|[]{}^$#&-~\"<>@")


def literal_regex(text: str) -> str:
    """`text` as a regular expression matching itself (tantivy's regex syntax): every
    punctuation sign escaped, so `_` and `%` are plain characters."""
    return "".join("\\" + c if c in _REGEX_META else c for c in text)
