"""Named, parameterised SQL files in pipelines/queries (values are always bound, never pasted)."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import duckdb


_INCLUDE = re.compile(r"\{\{(\w+)\}\}")


@lru_cache(maxsize=None)
def sql(name: str) -> str:
    """The named query's text, its `{{fragment}}` includes replaced by those files' text."""
    text = (resources.files("pipelines") / "queries" / f"{name}.sql").read_text(encoding="utf-8")
    return _INCLUDE.sub(lambda m: sql(m[1]), text)


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None):
    """Execute a named query with named parameters; returns the DuckDB relation/cursor."""
    return con.execute(sql(name), params or {})


def run_script(con: duckdb.DuckDBPyConnection, name: str) -> None:
    for stmt in filter(str.strip, sql(name).split(";")):
        if any(line.strip() and not line.strip().startswith("--") for line in stmt.splitlines()):
            con.execute(stmt)
