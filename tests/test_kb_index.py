"""The BM25 index: term frequencies kept in step with the units, `xdd index` with and without
DuckDB's FTS index, the 006-008 migrations on a database of the old layout, and a clean error
when the index is missing."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipelines import db, load as loader
from pipelines.cli import main
from pipelines.errors import DatabaseError
from pipelines.facts import sha1
from pipelines.run import load_records
from pipelines.search import fts_ready, search
from pipelines.textindex import index_terms, key64, term_frequencies
from tests import kb_helpers


def _orphans(con) -> int:
    return con.execute("SELECT count(*) FROM search_tf WHERE unit_key NOT IN (SELECT unit_key FROM search_units)").fetchone()[0]


def test_replaced_article_leaves_no_stale_terms(tmp_path):
    path = tmp_path / "kb.duckdb"
    load_records(path, kb_helpers.pairs())
    art = dict(kb_helpers.articles()[1])
    art["text"] += "\nChi bộ lập nhóm Zalo để trao đổi công việc."
    load_records(path, [(art, kb_helpers.extraction(art))])
    with db.connect(path, read_only=True) as con:
        assert _orphans(con) == 0
        total = con.execute("SELECT sum(tf) FROM search_tf JOIN search_units USING (unit_key) WHERE doc_id = ?",
                            [art["doc_id"]]).fetchone()[0]
        assert total == con.execute("SELECT sum(n_terms) FROM search_units WHERE doc_id = ?", [art["doc_id"]]).fetchone()[0]
        assert con.execute("SELECT count(*) FROM search_postings WHERE unit_key NOT IN "
                           "(SELECT unit_key FROM search_units)").fetchone()[0] == 0
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
        loader.load(con, kb_helpers.pairs(), workers=1)       # rows, but no derived tables
        with pytest.raises(DatabaseError, match="xdd index"):
            search(con, "chi bộ")


def test_search_on_an_index_of_an_older_layout_is_a_clean_error(tmp_path):
    """Impact lists built by an earlier version (no filter columns) ask for `xdd index`."""
    path = tmp_path / "kb.duckdb"
    load_records(path, kb_helpers.pairs())
    with db.connect(path) as con:
        con.execute("CREATE OR REPLACE TABLE search_impacts AS SELECT term_key, unit_key, practice, w FROM search_postings")
    with db.connect(path, read_only=True) as con:
        with pytest.raises(DatabaseError, match="xdd index"):
            search(con, "chi bộ")
    assert CliRunner().invoke(main, ["index", "--db", str(path)]).exit_code == 0
    with db.connect(path, read_only=True) as con:
        assert search(con, "chi bộ")


def test_old_layout_is_migrated_with_the_same_keys(tmp_path):
    """A database from before 006 (terms stored as text) gets search_tf filled in SQL, equal to
    what the load computes in Python now."""
    path = tmp_path / "old.duckdb"
    text = "Đảng ủy phường tổ chức sinh hoạt chi bộ. Chi bộ khu phố 3 họp định kỳ."
    with db.connect(path) as con:       # everything up to 005, as an old version left it
        pass
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("DROP TABLE search_tf")
    con.execute("DROP INDEX search_units_unit_key")
    con.execute("ALTER TABLE search_units DROP COLUMN unit_key")
    con.execute("ALTER TABLE search_units DROP COLUMN n_terms")
    con.execute("ALTER TABLE search_units ADD COLUMN terms VARCHAR")
    con.execute("DELETE FROM schema_migrations WHERE name >= '006'")
    con.execute("INSERT INTO articles (doc_id, text, content_hash) VALUES ('old1', ?, ?)", [text, sha1(text)])
    con.execute("INSERT INTO search_units (unit_id, doc_id, kind, terms) VALUES ('a:old1', 'old1', 'article', ?)",
                [index_terms(f"\n{text}")])
    con.close()
    with db.connect(path) as con:       # applies 006-008
        key = key64(f"a:old1|{sha1(text)}|None")
        assert con.execute("SELECT unit_key, n_terms FROM search_units").fetchall() == [(key, len(index_terms(text).split()))]
        got = con.execute("SELECT unit_key, term_key, tf FROM search_tf ORDER BY ALL").fetchall()
        n_terms, want = term_frequencies([key], [f"\n{text}"])
        assert got == sorted(want.rows()) and n_terms.to_list() == [len(index_terms(text).split())]
        assert "terms" not in [r[0] for r in con.execute("DESCRIBE search_units").fetchall()]
        assert con.execute("SELECT count(*) FROM duckdb_indexes() WHERE index_name = 'search_units_unit_key'").fetchone()[0] == 1
