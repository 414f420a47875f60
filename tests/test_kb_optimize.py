"""`xdd index --optimize` compacts without changing any answer: after loads that appended to the
figure index and left deleted documents in the search index, it sorts the one and rebuilds the
other; `xdd compare` answers as before, `xdd search` finds the same hits and scores them as a
fresh index does; a second run finds nothing to do and writes nothing."""
from __future__ import annotations

import json
import os
import random
import shutil

import pytest
from click.testing import CliRunner

from pipelines import db, figure_index, versions
from pipelines.cli import main
from pipelines.run import _segments
from tests.test_kb_incremental import load, make_article, remove, snapshot

QUERIES = ["đảng viên", "báo cáo chi bộ", '"toàn tỉnh có"']


def searches(kb) -> dict:
    out = {}
    for q in QUERIES:
        result = CliRunner().invoke(main, ["search", q, "--limit", "1000", "--format", "json", "--db", str(kb)])
        assert result.exit_code == 0, result.output
        out[q] = json.loads(result.output)
    return out


def hit_set(hits: list[dict]) -> set:
    return {(h["kind"], h["url"], h["title"], h["sentence"]) for h in hits}


def index_dir(kb):
    with db.connect(kb, read_only=True) as con:
        return versions.index_dir(con, kb)


@pytest.fixture
def loaded(tmp_path, monkeypatch):
    """A base after a few loads with updates and a removal, the figure index never re-sorted."""
    monkeypatch.setattr(figure_index, "SORT_SHARE", 10.0)
    rng = random.Random(4)
    kb = tmp_path / "kb.duckdb"
    load(tmp_path, kb, [make_article(f"d{i}", rng, 0) for i in range(25)], 0)
    for step in range(1, 4):
        load(tmp_path, kb, [make_article(f"d{i}", rng, step) for i in rng.sample(range(25), 6)]
             + [make_article(f"n{step}-{i}", rng, 0) for i in range(4)], step)
    remove(kb, ["d3", "d4"])
    load(tmp_path, kb, [], 10)
    return kb


def test_optimize_compacts_and_answers_stay_the_same(loaded, tmp_path):
    kb = loaded
    with db.connect(kb, read_only=True) as con:
        assert figure_index.unsorted(con) > 0
    segments, deleted = _segments(index_dir(kb))
    assert deleted > 0, "the loads left no deleted documents in the search index"
    before, found = snapshot(kb), searches(kb)
    assert found["đảng viên"], "nothing to search"
    fresh = tmp_path / "fresh.duckdb"
    shutil.copyfile(kb, fresh)
    assert CliRunner().invoke(main, ["index", "--db", str(fresh)]).exit_code == 0

    result = CliRunner().invoke(main, ["index", "--optimize", "--db", str(kb)])
    assert result.exit_code == 0, result.output
    line = result.output.strip()
    assert "\n" not in line and line.startswith("optimize: figure index sorted (")
    assert f"without its {deleted} deleted documents ({segments} segments -> " in line

    assert snapshot(kb) == before                     # compare and the two tables: the same
    after = searches(kb)
    assert after == searches(fresh)                   # as a fresh index scores them
    assert {q: hit_set(h) for q, h in after.items()} == {q: hit_set(h) for q, h in found.items()}
    assert _segments(index_dir(kb))[1] == 0
    with db.connect(kb, read_only=True) as con:
        assert figure_index.unsorted(con) == 0
        con.execute("SET threads = 1")
        keys = con.execute("SELECT base_key, province, period, doc_id, start FROM metric_facts").fetchall()
    assert keys == sorted(keys, key=lambda r: tuple((x is None, x) for x in r))


def test_optimize_is_idempotent_and_writes_nothing_the_second_time(loaded):
    kb = loaded
    assert CliRunner().invoke(main, ["index", "--optimize", "--db", str(kb)]).exit_code == 0
    stat, where, answers = os.stat(kb), index_dir(kb), (snapshot(kb), searches(kb))
    result = CliRunner().invoke(main, ["index", "--optimize", "--db", str(kb)])
    assert result.exit_code == 0 and result.output == "optimize: already compact, nothing written\n"
    after = os.stat(kb)
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    assert index_dir(kb) == where
    assert (snapshot(kb), searches(kb)) == answers


def test_optimize_after_a_full_build_has_nothing_to_do(loaded):
    assert CliRunner().invoke(main, ["index", "--db", str(loaded)]).exit_code == 0
    result = CliRunner().invoke(main, ["index", "--optimize", "--db", str(loaded)])
    assert result.exit_code == 0 and result.output == "optimize: already compact, nothing written\n"


def test_optimize_errors_are_one_line(tmp_path, loaded):
    result = CliRunner().invoke(main, ["index", "--optimize", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and result.output.count("\n") == 1 and result.output.startswith("error: no knowledge base")
    assert not (tmp_path / "none.duckdb").exists()
    result = CliRunner().invoke(main, ["index", "--optimize", "--fts", "--db", str(loaded)])
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "--optimize" in result.output
