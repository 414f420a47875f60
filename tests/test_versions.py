"""Readers and writers together (pipelines.versions), with real processes and no mocks:

- searches and compares looping in other processes through a whole load each see the state
  before it or the state after it, never an error, and the load succeeds;
- `xdd load` killed with SIGKILL at random moments into a base with an index, each time followed
  by the same load: nothing corrupt, lost or duplicated, search and compare equal a clean load's;
- two loads at once: the second waits for the first, or after its bounded wait fails in one line.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path


from pipelines import db, search_index, versions
from pipelines.compare import latest_table
from pipelines.search import SearchFilters, search
from pipelines.series import Series

ROOT = Path(__file__).resolve().parents[1]
PROVINCES = ["Bắc Giang", "Nam Định", "Cần Thơ", "Hà Giang", "Hậu Giang", "Nghệ An", "Thái Bình", "Lào Cai"]
WORDS = ("kiểm tra giám sát đảng viên trẻ học tập làm theo Bác chuyển đổi số phát triển tổ chức cơ sở "
         "dân vận khéo Zalo họp định kỳ").split()
PRACTICE = "Chi bộ thôn thực hiện sinh hoạt chi bộ theo chuyên đề mỗi quý."
KILLS = int(os.environ.get("XDD_TEST_KILLS", "10"))


# ------------------------------------------------------------------ data
def make(i: int) -> tuple[dict, dict]:
    """Article i: a province total of party members (for compare) and a practice (for search)."""
    rng = random.Random(i * 7919)
    province = PROVINCES[i % len(PROVINCES)]
    figure = f"{rng.randint(1000, 200000):,}".replace(",", ".") + " đảng viên"
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 40))).capitalize() + "."
    text = f"Đảng bộ tỉnh {province} có {figure}. {body} {PRACTICE}"
    doc = f"a{i:05d}"
    art = {"doc_id": doc, "url": f"http://example.vn/{doc}.html", "source": "nhandan", "title": f"Tin {i} {province}",
           "published": f"20{20 + i % 5}-0{1 + i % 9}-1{i % 10}T09:00:00+07:00", "text": text}
    s, p = text.index(figure), text.index(PRACTICE)
    ext = {"doc_id": doc, "province": province, "entities": [], "directives": [],
           "metrics": [{"text": figure, "start": s, "end": s + len(figure), "value": int(figure.split()[0].replace(".", "")),
                        "unit": "count", "qualifier": "exact", "indicator": "đảng viên",
                        "subject": f"Đảng bộ tỉnh {province}", "locality": province, "period": str(2020 + i % 5),
                        "scope": "province", "measure": "total"}],
           "practices": [{"text": PRACTICE, "start": p, "end": p + len(PRACTICE), "category": "sinh_hoat_chi_bo"}]}
    return art, ext


def write_batch(folder: Path, name: str, ids: range) -> tuple[Path, Path]:
    arts, exts = folder / f"{name}.jsonl", folder / f"{name}.ext.jsonl"
    with open(arts, "w", encoding="utf-8") as fa, open(exts, "w", encoding="utf-8") as fe:
        for i in ids:
            a, e = make(i)
            fa.write(json.dumps(a, ensure_ascii=False) + "\n")
            fe.write(json.dumps(e, ensure_ascii=False) + "\n")
    return arts, exts


def load_cmd(db_path: Path, batch: tuple[Path, Path]) -> list[str]:
    return [sys.executable, "-m", "pipelines", "load", str(batch[0]), "--extractions", str(batch[1]),
            "--workers", "1", "--db", str(db_path)]


def run_load(db_path: Path, batch: tuple[Path, Path], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(load_cmd(db_path, batch), cwd=ROOT, capture_output=True, text=True, **kw)


# ------------------------------------------------------------------ what readers see
QUERIES = [("sinh hoạt chi bộ", SearchFilters(kind="practice"), 5000),     # every practice: grows with the load
           ("kiểm tra giám sát đảng viên", SearchFilters(), 10)]           # a top 10: scores move with the load


def search_state(con) -> list:
    return [[(h.kind, h.doc_id, h.start, h.score) for h in search(con, q, f, limit=n)] for q, f, n in QUERIES]


def compare_state(con) -> list:
    rows = latest_table(con, "đảng viên", series=Series()).to_dicts()
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) for r in rows)


def states(db_path: Path) -> dict:
    with db.connect(db_path, read_only=True) as con:
        return {"search": search_state(con), "compare": compare_state(con)}


def base_facts(db_path: Path) -> dict:
    """Row counts, duplicates and whether the derived state is the one of this base."""
    with db.connect(db_path, read_only=True) as con:
        out = {t: n for t, n in db.table_counts(con).items() if t != "skips"}
        out["duplicate doc_ids"] = con.execute("SELECT count(*) - count(DISTINCT doc_id) FROM articles").fetchone()[0]
        out["metric_facts"] = con.execute("SELECT count(*) FROM metric_facts").fetchone()[0]
        out["derived current"] = con.execute(       # the figure index reflects every article's version
            "SELECT count(*) = 0 FROM articles a FULL OUTER JOIN metric_docs d USING (doc_id) "
            "WHERE a.content_hash IS DISTINCT FROM d.content_hash OR a.extraction_hash IS DISTINCT FROM d.extraction_hash "
            "OR a.loaded_at IS DISTINCT FROM d.loaded_at").fetchone()[0]
        out["index"] = search_index.status(con, versions.index_dir(con, db_path))
    return out


def reader_main(kind: str, db_path: str, out: str, stop: str) -> None:
    """A reader process: search (or compare) in a loop, a fresh connection each time, until
    `stop` exists; writes [(start, end, result or error)] to `out`."""
    got = []
    fn = search_state if kind == "search" else compare_state
    while not os.path.exists(stop):
        t0 = time.time()
        try:
            result = versions.reading(db_path, fn)
            result = json.loads(json.dumps(result, ensure_ascii=False))
        except Exception as exc:  # noqa: BLE001  (any error is a failure of the test)
            result = {"error": f"{type(exc).__name__}: {exc}"}
        got.append((t0, time.time(), result))
    Path(out).write_text(json.dumps(got, ensure_ascii=False), encoding="utf-8")


def _as_json(value):
    return json.loads(json.dumps(value, ensure_ascii=False))


# ------------------------------------------------------------------ tests
def test_readers_see_the_state_before_or_after_a_load(tmp_path):
    path = tmp_path / "kb.duckdb"
    assert run_load(path, write_batch(tmp_path, "base", range(0, 300))).returncode == 0
    before = _as_json(states(path))
    new = write_batch(tmp_path, "new", range(300, 1500))
    stop = tmp_path / "stop"
    kinds = ["search", "search", "compare"]
    readers = [subprocess.Popen([sys.executable, "-c", "import sys; from tests.test_versions import reader_main; "
                                 "reader_main(*sys.argv[1:])", k, str(path), str(tmp_path / f"r{n}.json"), str(stop)],
                                cwd=ROOT) for n, k in enumerate(kinds)]
    try:
        time.sleep(3.0)                   # the readers are looping
        t0 = time.time()
        load = run_load(path, new, timeout=300)
        t1 = time.time()
        time.sleep(1.0)
    finally:
        stop.touch()
        for r in readers:
            r.wait(timeout=60)
    assert load.returncode == 0, load.stderr
    assert "1200 new" in load.stdout
    after = _as_json(states(path))
    assert before != after and len(after["search"][0]) == len(before["search"][0]) + 1200
    during = {"search": 0, "compare": 0}
    seen = {"before": 0, "after": 0}
    for n, kind in enumerate(kinds):
        rows = json.loads((tmp_path / f"r{n}.json").read_text(encoding="utf-8"))
        for start, end, result in rows:
            assert not (isinstance(result, dict) and "error" in result), result
            assert result in (before[kind], after[kind]), f"{kind} at {start - t0:.2f} s saw a third state"
            seen["before" if result == before[kind] else "after"] += 1
            if end > t0 and start < t1:
                during[kind] += 1
    assert during["search"] >= 20 and during["compare"] >= 5, during
    assert seen["before"] and seen["after"], seen
    print(f"\nload {t1 - t0:.1f} s; readers during it: {during}; before/after states seen: {seen}")


def test_killed_loads_leave_the_previous_version_and_the_same_load_completes_it(tmp_path):
    """SIGKILL at random moments of `xdd load` into a base with an index, each followed by the
    same load: no corrupt base, no row lost or duplicated, nothing stale; search and compare at
    the end equal those of a clean load of the same articles (XDD_TEST_KILLS rounds, 10 by
    default)."""
    path, clean = tmp_path / "kb.duckdb", tmp_path / "clean.duckdb"
    base = write_batch(tmp_path, "base", range(0, 200))
    assert run_load(path, base).returncode == 0
    rng = random.Random(15)
    duration, outcome = 2.0, {"rolled back": 0, "published": 0}
    for k in range(KILLS):
        batch = write_batch(tmp_path, f"b{k}", range(200 + 40 * k, 240 + 40 * k))
        proc = subprocess.Popen(load_cmd(path, batch), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.25, 1.0) * duration)     # start-up, copy, batches, derived tables, index, publishing
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        facts = base_facts(path)               # after the kill: the previous version or the next, whole
        assert facts["articles"] in (200 + 40 * k, 240 + 40 * k), facts
        assert facts["duplicate doc_ids"] == 0 and facts["derived current"] and facts["index"] == "fresh", facts
        outcome["published" if facts["articles"] == 240 + 40 * k else "rolled back"] += 1
        t0 = time.monotonic()
        again = run_load(path, batch)
        duration = 0.5 * duration + 0.5 * (time.monotonic() - t0)
        assert again.returncode == 0, again.stderr
        facts = base_facts(path)
        assert facts["articles"] == 240 + 40 * k and facts["practices"] == 240 + 40 * k, facts
        assert facts["duplicate doc_ids"] == 0 and facts["derived current"] and facts["index"] == "fresh", facts
        assert not list(tmp_path.glob("kb.duckdb.next*"))
    # the clean load: the same articles, no kill (only new articles: BM25 statistics are the same
    # whether they come in one load or in several)
    assert run_load(clean, base).returncode == 0
    assert run_load(clean, write_batch(tmp_path, "all", range(200, 200 + 40 * KILLS))).returncode == 0
    assert base_facts(path) == base_facts(clean)
    assert states(path) == states(clean)
    index_versions = sorted(p.name for p in tmp_path.glob("kb.index.v*"))
    assert len(index_versions) <= 2, index_versions        # the current one and the one before
    print(f"\n{KILLS} kills: {outcome}; a load takes {duration:.1f} s")


def test_two_loads_at_once(tmp_path):
    path = tmp_path / "kb.duckdb"
    assert run_load(path, write_batch(tmp_path, "base", range(0, 100))).returncode == 0
    a, b = write_batch(tmp_path, "a", range(100, 600)), write_batch(tmp_path, "b", range(600, 1100))
    procs = [subprocess.Popen(load_cmd(path, x), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for x in (a, b)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert all("500 new" in o for o, _ in outs), outs
    facts = base_facts(path)
    assert facts["articles"] == 1100 and facts["duplicate doc_ids"] == 0 and facts["index"] == "fresh", facts
    with db.connect(path, read_only=True) as con:
        assert len(search(con, "sinh hoạt chi bộ", SearchFilters(kind="practice"), limit=2000)) == 1100

    # a writer holding the lock longer than the wait: one line, and the base as it was
    with versions.writer_lock(path):
        late = run_load(path, write_batch(tmp_path, "c", range(1100, 1110)),
                        env={**os.environ, "XDD_WRITE_WAIT": "1"}, timeout=120)
    assert late.returncode != 0
    lines = late.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: another load is writing") and f"pid {os.getpid()}" in lines[0]
    assert base_facts(path)["articles"] == 1100


def test_a_base_from_before_versions_is_adopted(tmp_path):
    """`xdd.index` as a folder (written in place, as before versions): the next load makes it a
    version; readers of the old layout and of the new one find their index."""
    path = tmp_path / "kb.duckdb"
    from pipelines import load as loader

    pairs = [make(i) for i in range(50)]
    with db.connect(path) as con:                # in place, the old way
        loader.load(con, pairs, workers=1)
        search_index.sync(con, search_index.index_path(path))
    assert search_index.index_path(path).is_dir() and not search_index.index_path(path).is_symlink()
    with db.connect(path, read_only=True) as con:
        assert len(search(con, "sinh hoạt chi bộ", SearchFilters(kind="practice"), limit=100)) == 50
    assert run_load(path, write_batch(tmp_path, "more", range(50, 80))).returncode == 0
    link = search_index.index_path(path)
    assert link.is_symlink() and (tmp_path / os.readlink(link)).is_dir()
    facts = base_facts(path)
    assert facts["articles"] == 80 and facts["index"] == "fresh" and facts["derived current"]
    with db.connect(path, read_only=True) as con:
        assert len(search(con, "sinh hoạt chi bộ", SearchFilters(kind="practice"), limit=100)) == 80


def test_derived_tables_lost_are_rebuilt_by_the_next_load(tmp_path):
    """A figure table lost (dropped by hand) is rebuilt by the next load even when that load
    changes nothing: compare gives what it gave."""
    path = tmp_path / "kb.duckdb"
    batch = write_batch(tmp_path, "base", range(0, 40))
    assert run_load(path, batch).returncode == 0
    before = states(path)
    with db.connect(path) as con:
        con.execute("DROP TABLE metric_periods")
    again = run_load(path, batch)
    assert again.returncode == 0 and "0 new, 0 updated, 40 unchanged" in again.stdout
    facts = base_facts(path)
    assert facts["derived current"] and facts["metric_facts"] == 40 and facts["index"] == "fresh"
    assert states(path) == before


# ------------------------------------------------------------------ the spare (copy by blocks)
def _inode(path: Path) -> int:
    return os.stat(path).st_ino


def _digest(fd: int) -> str:
    import hashlib

    h = hashlib.sha256()
    os.lseek(fd, 0, os.SEEK_SET)
    while chunk := os.read(fd, 1 << 20):
        h.update(chunk)
    return h.hexdigest()


def test_the_spare_becomes_the_next_version_by_its_changed_blocks(tmp_path):
    """The file a load replaces is kept as the spare; the next load takes it, copies only the
    blocks that differ and starts from a byte-for-byte copy of the live file."""
    import filecmp

    path = tmp_path / "kb.duckdb"
    assert run_load(path, write_batch(tmp_path, "base", range(0, 300))).returncode == 0
    assert not versions.spare_path(path).exists()          # nothing was replaced
    assert run_load(path, write_batch(tmp_path, "more", range(300, 320))).returncode == 0
    spare = versions.spare_path(path)
    assert spare.exists() and _inode(spare) != _inode(path)
    before, old_spare = states(path), _inode(spare)
    with versions.writing(path) as stage:
        assert _inode(stage.db) == old_spare and not spare.exists()
        assert filecmp.cmp(stage.db, path, shallow=False)
        assert 0 < stage.copied_bytes < os.path.getsize(path), stage.copied_bytes     # some blocks kept
    assert _inode(path) == old_spare and states(path) == before
    assert run_load(path, write_batch(tmp_path, "last", range(320, 400))).returncode == 0
    facts = base_facts(path)
    assert facts["articles"] == 400 and facts["index"] == "fresh" and facts["derived current"], facts


def test_a_spare_a_reader_holds_is_left_to_it(tmp_path):
    """A reader still on the replaced file (the spare): the next load copies the whole live
    file instead, and the reader goes on reading what it read."""
    path = tmp_path / "kb.duckdb"
    assert run_load(path, write_batch(tmp_path, "base", range(0, 100))).returncode == 0
    assert run_load(path, write_batch(tmp_path, "more", range(100, 150))).returncode == 0
    spare, stop = versions.spare_path(path), tmp_path / "stop"
    held = _inode(spare)
    code = ("import duckdb, os, sys, time\n"
            f"con = duckdb.connect({str(spare)!r}, read_only=True)\n"
            "q = 'SELECT count(*), sum(hash(text)) FROM articles'\n"
            "first = con.execute(q).fetchone(); print('ready', flush=True)\n"
            f"while not os.path.exists({str(stop)!r}): time.sleep(0.02)\n"
            "print(first == con.execute(q).fetchone(), first[0], flush=True)\n")
    reader = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "ready"
        assert run_load(path, write_batch(tmp_path, "last", range(150, 250))).returncode == 0
        assert _inode(path) != held and _inode(versions.spare_path(path)) != held
    finally:
        stop.touch()
        out = reader.communicate(timeout=60)[0].split()
    assert out == ["True", "100"], out
    assert base_facts(path)["articles"] == 250


def test_a_spare_that_is_the_live_file_is_not_written(tmp_path):
    """A publish killed between keeping the spare and the rename leaves the spare a second name
    of the live file: the next load must not write into it."""
    path = tmp_path / "kb.duckdb"
    assert run_load(path, write_batch(tmp_path, "base", range(0, 60))).returncode == 0
    spare = versions.spare_path(path)
    spare.unlink(missing_ok=True)
    os.link(path, spare)
    fd = os.open(path, os.O_RDONLY)
    try:
        digest = _digest(fd)
        assert run_load(path, write_batch(tmp_path, "more", range(60, 90))).returncode == 0
        assert _digest(fd) == digest
    finally:
        os.close(fd)
    assert base_facts(path)["articles"] == 90


def test_sync_blocks_refuses_files_that_are_not_duckdb(tmp_path):
    path = tmp_path / "kb.duckdb"
    assert run_load(path, write_batch(tmp_path, "base", range(0, 30))).returncode == 0
    junk = tmp_path / "junk"
    junk.write_bytes(b"not a database" * 1000)
    assert versions.sync_blocks(path, junk) is None and junk.read_bytes() == b"not a database" * 1000
    versions.spare_path(path).write_bytes(b"not a database")      # a damaged spare: the whole file is copied
    assert run_load(path, write_batch(tmp_path, "more", range(30, 40))).returncode == 0
    assert base_facts(path)["articles"] == 40
