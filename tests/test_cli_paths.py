"""Paths a user gives the CLI: made when missing, one-line errors when impossible, never a
traceback; a non-DuckDB --db is named as such; `xdd demo --db X` works beside X."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipelines.demo import WORK, demo_work_dir

XDD = [sys.executable, "-m", "pipelines"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*XDD, *args], capture_output=True, text=True)


def test_not_a_duckdb_file_is_one_line(tmp_path):
    bad = tmp_path / "kb.duckdb"
    bad.write_text("hello", encoding="utf-8")
    for args in (["stats"], ["search", "chi bộ"], ["compare", "đảng viên"]):
        out = run(*args, "--db", str(bad))
        assert out.returncode != 0 and "Traceback" not in out.stderr
        assert out.stderr.startswith("error: ") and len(out.stderr.strip().splitlines()) == 1
        assert "not a DuckDB database" in out.stderr


def test_output_folders_are_made_and_impossible_paths_are_one_line(tmp_path):
    arts = tmp_path / "a.jsonl"
    arts.write_text(json.dumps({"doc_id": "a1", "url": "https://baobacgiang.vn/a1",
                                "text": "Đảng bộ tỉnh Bắc Giang hiện có 70.100 đảng viên."}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    db = tmp_path / "kb.duckdb"
    assert run("load", str(arts), "--db", str(db), "--workers", "1").returncode == 0
    html = tmp_path / "new" / "folder" / "a1.html"
    assert run("show", "a1", "--db", str(db), "--html", str(html)).returncode == 0 and html.exists()
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    out = run("show", "a1", "--db", str(db), "--html", str(blocker / "a1.html"))
    assert out.returncode == 1 and "Traceback" not in out.stderr and out.stderr.startswith("error: ")


def test_demo_work_folder_follows_the_database(tmp_path):
    assert demo_work_dir(Path("data/xdd.duckdb").resolve()) == WORK
    assert demo_work_dir(tmp_path / "kb.duckdb") == tmp_path / "kb.work"


def test_a_hostile_query_is_refused_in_one_line(demo_kb):
    out = run("search", "chi bộ đảng viên " * 200, "--db", str(demo_kb[0]))
    assert out.returncode == 1 and out.stderr.startswith("error: the query is too long")
    assert len(out.stderr.strip().splitlines()) == 1


def test_a_hostile_query_is_a_400_page(demo_kb):
    from starlette.testclient import TestClient

    from pipelines.web.app import create_app

    client = TestClient(create_app(demo_kb[0]))
    r = client.get("/search", params={"q": "chi bộ " * 400})
    assert r.status_code == 400 and "Traceback" not in r.text
