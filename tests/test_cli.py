"""The `xdd` command line: every command has --help; errors are one line and a non-zero exit."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.run import load_records
from tests import kb_helpers

COMMANDS = ["crawl", "sources", "reextract", "extract", "show", "load", "search", "compare", "document",
            "export", "stats", "demo", "index"]


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "kb.duckdb"
    load_records(path, kb_helpers.pairs())
    return path


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Usage: " in result.output


def _one_line_error(args):
    proc = subprocess.run([sys.executable, "-m", "pipelines", *args], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    return lines


def test_missing_database_is_one_line(tmp_path):
    lines = _one_line_error(["stats", "--db", str(tmp_path / "none.duckdb")])
    assert len(lines) == 1 and lines[0].startswith("error: no knowledge base")


def test_corrupt_database_is_one_line(tmp_path):
    bad = tmp_path / "bad.duckdb"
    bad.write_text("garbage " * 1000)
    lines = _one_line_error(["search", "chi bộ", "--db", str(bad)])
    assert len(lines) == 1 and lines[0].startswith("error: cannot open")


def test_unknown_option_is_a_usage_error():
    lines = _one_line_error(["search", "x", "--colour", "red"])
    assert any("No such option" in line for line in lines)


def test_bad_date_is_one_line(kb):
    lines = _one_line_error(["search", "chi bộ", "--since", "yesterday", "--db", str(kb)])
    assert lines == ["error: not a date (YYYY-MM-DD): 'yesterday'"]


def test_search_json(kb):
    result = CliRunner().invoke(main, ["search", "sinh hoat chi bo", "--format", "json", "--db", str(kb)])
    rows = json.loads(result.output)
    assert result.exit_code == 0 and rows[0]["doc_id"] == "t1" and rows[0]["url"].startswith("http")


def test_search_csv_has_header(kb):
    result = CliRunner().invoke(main, ["search", "chi bộ", "--format", "csv", "--db", str(kb)])
    assert result.output.splitlines()[0].startswith("kind,doc_id,title")


def test_compare_json(kb):
    result = CliRunner().invoke(main, ["compare", "đảng viên", "--format", "json", "--db", str(kb)])
    rows = json.loads(result.output)
    assert {r["province"] for r in rows} == {"Bắc Giang", "Nam Định"}


def test_compare_chart(kb, tmp_path):
    out = tmp_path / "chart.png"
    result = CliRunner().invoke(main, ["compare", "đảng viên", "--chart", str(out), "--db", str(kb)])
    assert result.exit_code == 0 and out.read_bytes()[:4] == b"\x89PNG"


def test_export_parquet_and_csv(kb, tmp_path):
    import polars as pl

    for fmt in ("parquet", "csv"):
        result = CliRunner().invoke(main, ["export", str(tmp_path / fmt), "--format", fmt, "--db", str(kb)])
        assert result.exit_code == 0
    assert pl.read_parquet(tmp_path / "parquet" / "articles.parquet").height == 3
    assert pl.read_csv(tmp_path / "csv" / "metrics.csv").height == 3


def test_load_missing_file_is_one_line(tmp_path):
    lines = _one_line_error(["load", str(tmp_path / "nope.jsonl"), "--db", str(tmp_path / "x.duckdb")])
    assert lines == [f"error: no such file: {tmp_path / 'nope.jsonl'}"]
