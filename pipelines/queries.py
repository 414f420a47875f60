"""Named, parameterised SQL files in pipelines/queries (values are always bound, never pasted)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import duckdb


@lru_cache(maxsize=None)
def sql(name: str) -> str:
    return (resources.files("pipelines") / "queries" / f"{name}.sql").read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None):
    """Execute a named query with named parameters; returns the DuckDB relation/cursor."""
    return con.execute(sql(name), params or {})


def run_script(con: duckdb.DuckDBPyConnection, name: str) -> None:
    for stmt in filter(str.strip, sql(name).split(";")):
        if any(line.strip() and not line.strip().startswith("--") for line in stmt.splitlines()):
            con.execute(stmt)
