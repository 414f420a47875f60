"""Loading into a real DuckDB file: idempotence, replacement, bad input, crash safety."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from pipelines import db
from pipelines.errors import DatabaseError
from pipelines.run import load_records
from tests import kb_helpers


def _counts(path):
    with db.connect(path, read_only=True) as con:
        return db.table_counts(con)


def test_migrations_apply_once(tmp_path):
    path = tmp_path / "kb.duckdb"
    with db.connect(path) as con:
        first = con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
        assert db.apply_migrations(con) == []
    with db.connect(path) as con:
        assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == first >= 1


def test_load_twice_changes_nothing(tmp_path):
    path = tmp_path / "kb.duckdb"
    first = load_records(path, kb_helpers.pairs())
    assert first.new == 3 and first.unchanged == 0
    counts = _counts(path)
    second = load_records(path, kb_helpers.pairs())
    assert (second.new, second.updated, second.unchanged) == (0, 0, 3)
    assert _counts(path) == counts
    assert counts["metrics"] == 3 and counts["practices"] == 2


def test_extraction_hash_is_by_value_and_older_hashes_still_match(tmp_path):
    import copy
    import json

    from pipelines import facts

    ext = kb_helpers.extraction(kb_helpers.articles()[0])
    shared = {"entities": [ext["entities"][0]] * 2}
    separate = json.loads(json.dumps(shared))           # equal value, no shared objects
    assert facts.extraction_hash(shared) == facts.extraction_hash(separate)
    assert facts.extraction_hash(ext) != facts.extraction_hash({**ext, "province": "Hà Giang"})
    path = tmp_path / "kb.duckdb"
    load_records(path, kb_helpers.pairs())
    with db.connect(path) as con:       # as stored by loads before HASH_VERSION
        for art, e in kb_helpers.pairs():
            con.execute("UPDATE articles SET extraction_hash = ? WHERE doc_id = ?",
                        [facts.legacy_extraction_hash(e), art["doc_id"]])
    again = load_records(path, [(a, copy.deepcopy(e)) for a, e in kb_helpers.pairs()])
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)


def test_every_fact_points_at_its_words(tmp_path):
    path = tmp_path / "kb.duckdb"
    load_records(path, kb_helpers.pairs())
    with db.connect(path, read_only=True) as con:
        for table in ("mentions", "metrics", "practices", "places", "sentences", "directives"):
            rows = con.execute(f"SELECT f.text, substr(a.text, f.start + 1, f.\"end\" - f.start) FROM {table} f "
                               "JOIN articles a USING (doc_id)").fetchall()
            assert all(stored == sliced for stored, sliced in rows), table


def test_changed_article_replaces_its_facts(tmp_path):
    path = tmp_path / "kb.duckdb"
    load_records(path, kb_helpers.pairs())
    art = dict(kb_helpers.articles()[1])
    art["text"] = art["text"] + "\nCác cấp ủy quán triệt Chỉ thị 05-CT/TW."
    report = load_records(path, [(art, kb_helpers.extraction(art))])
    assert report.updated == 1
    with db.connect(path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM metrics WHERE doc_id = 't2'").fetchone()[0] == 1
        assert con.execute("SELECT key FROM directives WHERE doc_id = 't2'").fetchall() == [("05-CT/TW",)]


def test_bad_records_are_counted_not_raised(tmp_path):
    report = load_records(tmp_path / "kb.duckdb", [({"doc_id": "x"}, None), ("junk", None)])
    assert report.skipped == {"no_doc_id_or_text": 2}


def test_corrupt_database_is_a_clean_error(tmp_path):
    path = tmp_path / "broken.duckdb"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError) as exc:
        with db.connect(path):
            pass
    assert "\n" not in str(exc.value)


def test_readable_from_another_process_after_load(tmp_path):
    path = tmp_path / "kb.duckdb"
    load_records(path, kb_helpers.pairs())
    code = ("import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print(c.execute('select count(*) from articles').fetchone()[0]); "
            "print(len(c.execute('select * from sentences').df())); "         # pandas
            "print(c.execute('select * from metric_facts').pl().height)")     # polars
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    articles, sentences, figures = out.stdout.split()
    assert articles == "3" and int(sentences) >= 3 and figures == "3"


_INTERRUPTED_LOAD = """
import sys, time
from pipelines import db, load as loader
from tests import kb_helpers
real_insert = loader._insert
def insert_then_stall(con, table, rows):
    real_insert(con, table, rows)
    if table == "metrics":          # inside the batch transaction, after some writes
        print("ready", flush=True)
        time.sleep(60)
loader._insert = insert_then_stall
changed = []
for art, ext in kb_helpers.pairs():
    art = dict(art, text=art["text"] + " Bản cập nhật.")
    changed.append((art, ext))
with db.connect(sys.argv[1]) as con:
    loader.load(con, changed)
"""


def test_killed_load_leaves_previous_state(tmp_path):
    path = tmp_path / "kb.duckdb"
    load_records(path, kb_helpers.pairs())
    before = _counts(path)
    proc = subprocess.Popen([sys.executable, "-c", _INTERRUPTED_LOAD, str(path)], stdout=subprocess.PIPE, text=True,
                            cwd=os.getcwd())
    assert proc.stdout.readline().strip() == "ready"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _counts(path) == before
    with db.connect(path, read_only=True) as con:
        texts = [r[0] for r in con.execute("SELECT text FROM articles").fetchall()]
    assert not any("Bản cập nhật" in t for t in texts)
    # the killed load's hand-over folder (shared memory) is removed by the next load
    from pathlib import Path
    import tempfile
    abandoned = [p for base in ("/dev/shm", tempfile.gettempdir()) for p in Path(base).glob(f"xdd-load-{proc.pid}-*")]
    assert abandoned
    load_records(path, kb_helpers.pairs())
    assert not any(p.exists() for p in abandoned)


def test_compare_before_the_figure_index_is_a_clean_error(tmp_path):
    from pipelines import compare, load as loader

    with db.connect(tmp_path / "kb.duckdb") as con:
        loader.load(con, kb_helpers.pairs(), workers=1)      # rows only, no derived tables yet
        with pytest.raises(DatabaseError, match="xdd load"):
            compare.latest_table(con, "đảng viên")


def test_figure_index_leaves_out_syndicated_copies(tmp_path):
    path = tmp_path / "kb.duckdb"
    pairs = kb_helpers.pairs()
    art, ext = pairs[0]
    copy = (dict(art, doc_id="copy", url=art["url"] + "?copy", duplicate_of=art["doc_id"]), dict(ext, doc_id="copy"))
    load_records(path, [*pairs, copy])
    with db.connect(path, read_only=True) as con:
        n_orig = con.execute("SELECT count(*) FROM metrics WHERE doc_id = ?", [art["doc_id"]]).fetchone()[0]
        assert n_orig == 2
        assert con.execute("SELECT count(*) FROM metric_facts WHERE doc_id = ?", [art["doc_id"]]).fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM metric_facts WHERE doc_id = 'copy'").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM metrics WHERE doc_id = 'copy'").fetchone()[0] == n_orig


def test_load_files_streams_and_pairs_extractions_in_any_order(tmp_path):
    """`xdd load FILE --extractions FILE` reads the articles line by line and each extraction by
    its offset: extractions in another order, one of them twice (the last wins), a bad line
    counted, an article without one loaded without facts."""
    import json

    from pipelines.jsonl import KeyedJsonl, write_jsonl
    from pipelines.run import load_files

    pairs = kb_helpers.pairs()
    arts = tmp_path / "articles.jsonl"
    write_jsonl(arts, [a for a, _ in pairs])
    exts = tmp_path / "extractions.jsonl"
    stale = {**pairs[0][1], "metrics": []}
    rows = [pairs[2][1], stale, pairs[0][1]]          # no extraction for pairs[1]; pairs[0]'s twice
    exts.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in rows[:2]) + "{not json\n"
                    + json.dumps(rows[2], ensure_ascii=False) + "\n", encoding="utf-8")
    bad: dict[str, int] = {}
    with KeyedJsonl(exts, "doc_id", bad) as keyed:
        assert keyed.get(pairs[0][0]["doc_id"]) == pairs[0][1] and keyed.get(pairs[1][0]["doc_id"]) is None
    assert bad == {"bad_json": 1}
    report = load_files(tmp_path / "kb.duckdb", arts, exts)
    assert report.new == 3 and report.skipped.get("bad_json") == 1
    with db.connect(tmp_path / "kb.duckdb", read_only=True) as con:
        got = dict(con.execute("SELECT doc_id, count(*) FROM metrics GROUP BY doc_id").fetchall())
    want = {a["doc_id"]: len(e["metrics"]) for a, e in (pairs[0], pairs[2]) if e["metrics"]}
    assert got == want and pairs[1][0]["doc_id"] not in got


def test_load_files_of_a_missing_file_is_a_clean_error_before_any_version(tmp_path):
    from pipelines.errors import InputError
    from pipelines.run import load_files

    with pytest.raises(InputError, match="no such file"):
        load_files(tmp_path / "kb.duckdb", tmp_path / "nope.jsonl", tmp_path / "nope.ext.jsonl")
    assert not any(tmp_path.iterdir())
