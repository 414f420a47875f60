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


# The tables a term branch may read (a name is pasted into the SQL, so only these are accepted).
TERM_TABLES = frozenset({"search_impacts", "search_place_impacts", "search_postings"})


def per_term(name: str, branch: str, table: str, terms: list[int], allowed: str | None = None) -> str:
    """SQL of `name` with its /*TERMS*/ marker replaced by one `branch` query per term (UNION ALL)
    reading `table`; the branch's `$term` parameter becomes `$term_0`, `$term_1`, ... (bind them
    with `term_params`). With `allowed` (a query of unit keys), its /*ALLOWED*/ marker becomes
    the condition that unit_key is one of them."""
    if table not in TERM_TABLES:
        raise ValueError(f"not a term table: {table}")
    body = sql(branch).strip().replace("/*TABLE*/", table)
    union = " UNION ALL ".join(body.replace("$term", f"$term_{i}") for i in range(len(terms)))
    condition = f"AND unit_key IN ({sql(allowed).strip()})" if allowed else ""
    return sql(name).replace("/*TERMS*/", union).replace("/*ALLOWED*/", condition)


def term_params(terms: list[int]) -> dict[str, int]:
    return {f"term_{i}": t for i, t in enumerate(terms)}
