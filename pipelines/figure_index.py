"""The figure index (`metric_facts`, `metric_periods`: what `xdd compare` reads), kept current
by delta.

`metric_docs` records the version of each article (content and extraction hashes, load time)
the index reflects. A load ends with `update`: the articles whose version differs from
`articles` (added, changed, or gone from `articles`) have their rows of `metric_facts` replaced;
of the per-period summaries (`metric_periods`) of the groups — (indicator, base key, unit,
measure, scope, target, province, period) — those their old figures belonged to are recomputed,
and those only their new figures belong to are merged with their new rows' summary (a group that
only gains rows: count and values add up, the latest figure is the earlier of two by its stored
key), so a load of new articles reads its own figures only
(pipelines/queries/update_metric_facts.sql), in one transaction. The index is
built from scratch (build_metric_facts.sql) when it is missing, of another layout, or when a
load changed more than REBUILD_SHARE of the articles; `xdd index` always builds it from
scratch. Rows a load appends are not in base-key order: once they are more than SORT_SHARE of
the table, both tables are sorted again (`optimize`); `xdd index --optimize` sorts them whenever
any were appended (pipelines.run.optimize).
"""
from __future__ import annotations

import duckdb

from pipelines import db, queries

# the layout build_metric_facts.sql writes in metric_state: an index of another one is rebuilt
LAYOUT = "figures-3"
# a load that changed more than this share of the articles rebuilds the index from scratch
REBUILD_SHARE = 0.3
# rows appended by loads, as a share of metric_facts, past which both tables are sorted again
SORT_SHARE = 0.25

TABLES = ("metric_facts", "metric_periods", "metric_docs", "metric_state")


def ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the figure index exists in the current layout (so a load can update it)."""
    if not db.has_tables(con, *TABLES):
        return False
    row = con.execute("SELECT layout FROM metric_state").fetchone()
    return bool(row) and row[0] == LAYOUT


def rebuild(con: duckdb.DuckDBPyConnection, fts: bool = False) -> None:
    """From scratch (with `fts`, DuckDB's FTS index too): what `xdd index` does."""
    from pipelines import search

    search.rebuild_derived_tables(con, fts=fts)


def changed_docs(con: duckdb.DuckDBPyConnection) -> int:
    """Fill the temporary table _xdd_changed with the doc_ids whose version in `articles` is not
    the one the index reflects (new, changed, removed); return how many."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _xdd_changed AS
        SELECT coalesce(a.doc_id, d.doc_id) AS doc_id
        FROM (SELECT doc_id, content_hash, extraction_hash, loaded_at FROM articles) a
        FULL OUTER JOIN metric_docs d ON a.doc_id = d.doc_id
        WHERE a.doc_id IS NULL OR d.doc_id IS NULL
           OR a.content_hash IS DISTINCT FROM d.content_hash
           OR a.extraction_hash IS DISTINCT FROM d.extraction_hash
           OR a.loaded_at IS DISTINCT FROM d.loaded_at""")
    return con.execute("SELECT count(*) FROM _xdd_changed").fetchone()[0]


def update(con: duckdb.DuckDBPyConnection, fts: bool = False) -> dict:
    """Bring the figure index up to date with the articles as they are: by delta, or from
    scratch when it is missing, of another layout or most of it changed. With `fts`, DuckDB's
    FTS index is rebuilt too when anything changed (it has no delta). Returns what was done:
    {"mode": "rebuilt" | "delta" | "current", "docs": changed articles, "sorted": bool}."""
    if not ready(con):
        rebuild(con, fts=fts)
        return {"mode": "rebuilt", "docs": None, "sorted": True}
    n = changed_docs(con)
    if n == 0:
        con.execute("DROP TABLE IF EXISTS _xdd_changed")
        if fts:
            _fts(con, only_if_missing=True)
        return {"mode": "current", "docs": 0, "sorted": False}
    total = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    if n > REBUILD_SHARE * max(total, 1):
        con.execute("DROP TABLE IF EXISTS _xdd_changed")
        rebuild(con, fts=fts)
        return {"mode": "rebuilt", "docs": n, "sorted": True}
    from pipelines import search

    with search._memory_limit(con, search.REBUILD_MEMORY_BYTES):    # as the build: bounded, spills
        resort = _delta(con)
    if fts:
        _fts(con)
    return {"mode": "delta", "docs": n, "sorted": resort}


def _delta(con: duckdb.DuckDBPyConnection) -> bool:
    """The delta of `update` in one transaction; whether both tables were sorted again."""
    con.execute("BEGIN")
    try:
        _tails(con)
        queries.run_script(con, "update_metric_facts")
        rows, appended = con.execute("SELECT (SELECT count(*) FROM metric_facts), "
                                     "(SELECT count(*) FROM metric_facts WHERE doc_id IN (SELECT doc_id FROM _xdd_changed))"
                                     ).fetchone()
        con.execute("UPDATE metric_state SET appended = appended + ?", [appended])
        resort = con.execute("SELECT appended FROM metric_state").fetchone()[0] > SORT_SHARE * max(rows, 1)
        if resort:
            optimize(con)
        con.execute("DROP TABLE IF EXISTS _xdd_changed")
        for temp in ("_xdd_groups", "_xdd_gained", "_xdd_merged"):
            con.execute(f"DROP TABLE IF EXISTS {temp}")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return resort


# the tables whose rows of the changed articles update_metric_facts.sql reads (their text, facts)
TAIL_TABLES = ("articles", "metrics", "sentence_spans")


def _tails(con: duckdb.DuckDBPyConnection) -> None:
    """Set xdd_from_<table> to the lowest rowid of the changed articles' rows in each table
    (past the end when there is none): every such row lies at or after it, and as loads append,
    the delta reads the tables' tails instead of scanning every article's text."""
    for table in TAIL_TABLES:
        lo = con.execute(f"SELECT min(rowid) FROM {table} WHERE doc_id IN (SELECT doc_id FROM _xdd_changed)"
                         ).fetchone()[0]
        con.execute(f"SET VARIABLE xdd_from_{table} = {int(lo) if lo is not None else 2 ** 62}")


def unsorted(con: duckdb.DuckDBPyConnection) -> int:
    """Rows loads appended to metric_facts since it was last sorted (0 when it is in order)."""
    return int(con.execute("SELECT appended FROM metric_state").fetchone()[0] or 0)


def optimize(con: duckdb.DuckDBPyConnection) -> None:
    """Both tables rewritten in base-key order (what a build from scratch gives), so a series
    reads only its row groups again; the rows are the same."""
    con.execute("CREATE OR REPLACE TABLE metric_facts AS SELECT * FROM metric_facts "
                "ORDER BY base_key, province, period, doc_id, start")
    con.execute("CREATE OR REPLACE TABLE metric_periods AS SELECT * FROM metric_periods "
                "ORDER BY base_key, province, period")
    con.execute("UPDATE metric_state SET appended = 0")


def _fts(con: duckdb.DuckDBPyConnection, only_if_missing: bool = False) -> None:
    from pipelines import search

    if not (only_if_missing and search.fts_ready(con)):
        search.build_fts_index(con)
