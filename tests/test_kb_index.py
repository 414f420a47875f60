"""The search index beside the database: kept in step by the load (the replaced version of an
article leaves it), `xdd index` with and without DuckDB's FTS index, a clean one-line error
when it is missing or stale, and migration 011 on a database of the previous layout."""
from __future__ import annotations

import duckdb
import pytest
from click.testing import CliRunner

from pipelines import db, load as loader, search_index
from pipelines.cli import main
from pipelines.errors import DatabaseError
from pipelines.run import load_records
from pipelines.search import fts_ready, search
from pipelines.textindex import index_terms
from tests import kb_helpers


def _index_units(path) -> set[int]:
    index = search_index.tantivy.Index.open(str(search_index.index_path(path)))
    searcher = index.searcher()
    hits = searcher.search(search_index.tantivy.Query.all_query(), limit=10_000).hits
    alive = searcher.fast_field_values("unit_key", [a for _, a in hits])
    return set(alive)


def test_replaced_article_leaves_the_index(tmp_path):
    path = tmp_path / "kb.duckdb"
    load_records(path, kb_helpers.pairs())
    art = dict(kb_helpers.articles()[1])
    art["text"] += "\nChi bộ lập nhóm Zalo để trao đổi công việc."
    load_records(path, [(art, kb_helpers.extraction(art))])
    assert search_index.index_path(path).is_dir()
    with db.connect(path, read_only=True) as con:
        units = {r[0] for r in con.execute(search_index.DB_UNITS).fetchall()}
        assert _index_units(path) == units
        assert [h.doc_id for h in search(con, "nhóm Zalo trao đổi công việc")][:1] == [art["doc_id"]]


def test_index_command_builds_and_drops_the_fts_index(tmp_path):
    path = tmp_path / "kb.duckdb"
    load_records(path, kb_helpers.pairs())
    with db.connect(path, read_only=True) as con:
        assert not fts_ready(con)
    result = CliRunner().invoke(main, ["index", "--fts", "--db", str(path)])
    assert result.exit_code == 0 and result.output.startswith("index: ")
    with db.connect(path, read_only=True) as con:
        db.load_fts(con)
        assert fts_ready(con)
        # the FTS table holds the same terms as the Python folding, for every original article
        for art in kb_helpers.articles():
            row = con.execute("SELECT terms FROM search_text WHERE unit_id = ?", [f"a:{art['doc_id']}"]).fetchone()
            head = " ".join(filter(None, [art.get("title"), art.get("lead")]))
            assert row and row[0] == index_terms(f"{head}\n{art['text']}")
        top = con.execute("SELECT unit_id FROM (SELECT unit_id, fts_main_search_text.match_bm25(unit_id, 'chi_bo sinh_hoat') "
                          "AS s FROM search_text) WHERE s IS NOT NULL ORDER BY s DESC").fetchall()
        assert top and top[0][0] in {f"a:{h.doc_id}" for h in search(con, "sinh hoạt chi bộ", limit=50)} | {
            f"p:{h.doc_id}:{h.start}" for h in search(con, "sinh hoạt chi bộ", limit=50)}
    # a later load keeps it current
    art = dict(kb_helpers.articles()[0], text=kb_helpers.articles()[0]["text"] + "\nĐảng viên trẻ dùng sổ tay điện tử.")
    load_records(path, [(art, kb_helpers.extraction(art))])
    with db.connect(path, read_only=True) as con:
        assert "dien_tu" in con.execute("SELECT terms FROM search_text WHERE unit_id = ?", [f"a:{art['doc_id']}"]).fetchone()[0]
    assert CliRunner().invoke(main, ["index", "--no-fts", "--db", str(path)]).exit_code == 0
    with db.connect(path, read_only=True) as con:
        assert not fts_ready(con) and not db.has_tables(con, "search_text")
        assert search(con, "sinh hoạt chi bộ")


def test_search_without_its_index_is_a_clean_error(tmp_path):
    path = tmp_path / "kb.duckdb"
    with db.connect(path) as con:
        assert search(con, "chi bộ") == []                    # nothing loaded: nothing found
        loader.load(con, kb_helpers.pairs(), workers=1)       # rows, but no index
        with pytest.raises(DatabaseError, match="missing: run `xdd index`"):
            search(con, "chi bộ")
    result = CliRunner().invoke(main, ["search", "chi bộ", "--db", str(path)])
    assert result.exit_code != 0 and result.output.strip().count("\n") == 0 and "run `xdd index`" in result.output
    assert CliRunner().invoke(main, ["index", "--db", str(path)]).exit_code == 0
    with db.connect(path, read_only=True) as con:
        assert search(con, "chi bộ")


def test_a_copied_database_does_not_pass_for_the_indexed_one(tmp_path):
    """Each load transaction draws a new random token: another database's index is stale."""
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    load_records(a, kb_helpers.pairs())
    load_records(b, kb_helpers.pairs()[:1])
    import shutil

    search_index.index_path(b).unlink()             # a symlink to b's index version (pipelines.versions)
    shutil.copytree(search_index.index_path(a), search_index.index_path(b))
    with db.connect(b, read_only=True) as con:
        with pytest.raises(DatabaseError, match="out of date"):
            search(con, "chi bộ")


def test_an_index_of_another_layout_asks_for_xdd_index(tmp_path):
    path = tmp_path / "kb.duckdb"
    load_records(path, kb_helpers.pairs())
    state = search_index.index_path(path) / search_index.STATE_FILE
    state.write_text(state.read_text().replace(f'"schema": {search_index.SCHEMA_VERSION}', '"schema": 0'))
    with db.connect(path, read_only=True) as con:
        with pytest.raises(DatabaseError, match="older layout"):
            search(con, "chi bộ")
    assert CliRunner().invoke(main, ["index", "--db", str(path)]).exit_code == 0
    with db.connect(path, read_only=True) as con:
        assert search(con, "chi bộ")


def test_migration_011_drops_the_derived_search_tables(tmp_path):
    """A database of the previous layout (BM25 postings and impact lists in DuckDB) loses them
    and gains search_state; `xdd index` then makes it searchable."""
    path = tmp_path / "old.duckdb"
    load_records(path, kb_helpers.pairs())
    con = duckdb.connect(str(path))
    for table in ("search_postings", "search_impacts", "search_place_impacts", "search_stats", "search_categories",
                  "search_document_units", "search_place_docs"):
        con.execute(f"CREATE TABLE {table} (term_key BIGINT, unit_key BIGINT, w FLOAT)")
    con.execute("CREATE TABLE search_tf (unit_key BIGINT, term_key BIGINT, tf INTEGER)")
    con.execute("DROP TABLE search_state")
    con.execute("DELETE FROM schema_migrations WHERE name >= '011'")
    con.close()
    with db.connect(path) as con:
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert not names & {"search_postings", "search_impacts", "search_place_impacts", "search_stats",
                            "search_categories", "search_document_units", "search_place_docs", "search_tf"}
        assert con.execute("SELECT count(*) FROM search_state").fetchone()[0] == 1
    with db.connect(path, read_only=True) as con:
        with pytest.raises(DatabaseError, match="xdd index"):       # the token changed with the table
            search(con, "chi bộ")
    assert CliRunner().invoke(main, ["index", "--db", str(path)]).exit_code == 0
    with db.connect(path, read_only=True) as con:
        assert search(con, "chi bộ")
