"""Opening the DuckDB knowledge base and applying the SQL migrations idempotently."""
from __future__ import annotations

import os
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

import duckdb

from pipelines.errors import DatabaseError

DEFAULT_DB = Path(os.environ.get("XDD_DB", "data/xdd.duckdb"))


def migrations() -> list[tuple[str, str]]:
    """(name, sql) of every migration, in order."""
    folder = resources.files("pipelines") / "migrations"
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(p.name, p.read_text(encoding="utf-8")) for p in files]


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded in schema_migrations; return their names."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ DEFAULT now())")
    done = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
    applied = []
    for name, sql in migrations():
        if name in done:
            continue
        con.execute("BEGIN")
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations (name) VALUES (?)", [name])
        con.execute("COMMIT")
        applied.append(name)
    return applied


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    if read_only and not path.exists():
        raise DatabaseError(f"no knowledge base at {path}: run `xdd demo` or `xdd load` first")
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        msg = str(exc).splitlines()[0]
        if "lock" in msg.lower():
            raise DatabaseError(f"{path} is in use by another process (a load is running?)") from None
        raise DatabaseError(f"cannot open {path}: not a DuckDB database or damaged ({msg})") from None
    except duckdb.Error as exc:
        raise DatabaseError(f"cannot open {path}: {str(exc).splitlines()[0]}") from None


@contextmanager
def connect(path: Path | str = DEFAULT_DB, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that is always closed (so other processes can open the file read-only)."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only)
    try:
        con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")
        if not read_only:
            apply_migrations(con)
        elif not _is_xdd(con):
            raise DatabaseError(f"{path} is a DuckDB file but not an xdd knowledge base")
        yield con
    finally:
        con.close()


def _is_xdd(con: duckdb.DuckDBPyConnection) -> bool:
    rows = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'").fetchone()
    return bool(rows and rows[0])


def has_tables(con: duckdb.DuckDBPyConnection, *names: str) -> bool:
    """Whether every named table exists (derived tables appear after the first load)."""
    rows = con.execute("SELECT count(DISTINCT table_name) FROM information_schema.tables "
                       "WHERE table_name IN (SELECT unnest(?::VARCHAR[]))", [list(names)]).fetchone()
    return rows[0] == len(names)


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load DuckDB's full-text-search extension from the offline PyPI package."""
    import duckdb_extension_fts

    base = Path(duckdb_extension_fts.__file__).parent / "extensions"
    ext = next(base.glob("*/fts.duckdb_extension"), None)
    if ext is None:
        raise DatabaseError("duckdb-extension-fts is installed without its extension file")
    con.execute(f"INSTALL '{ext.as_posix()}'")
    con.execute("LOAD fts")


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = ["articles", "sentences", "mentions", "directives", "metrics", "practices", "places",
              "documents", "provinces", "skips", "search_units"]
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


@contextmanager
def settings(con: duckdb.DuckDBPyConnection, **values) -> Iterator[None]:
    """DuckDB options SET for a while, then restored (names and values are ours, never user
    input; SET takes no parameters). A value of None leaves that option as it is."""
    values = {k: v for k, v in values.items() if v is not None}
    if not values:
        yield
        return
    query = "SELECT " + ", ".join(f"current_setting('{name}')" for name in values)
    old = dict(zip(values, con.execute(query).fetchone()))
    _set(con, values)
    try:
        yield
    finally:
        _set(con, old)


def _set(con: duckdb.DuckDBPyConnection, values: dict) -> None:
    for name, value in values.items():
        con.execute(f"SET {name} = '{value}'")
