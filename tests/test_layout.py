"""The packages come from this checkout, and the project is wired as the README says."""
from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["crawler", "nlp", "pipelines"])
def test_package_imports_from_this_repository(name):
    module = importlib.import_module(name)
    assert Path(module.__file__).resolve().parent == ROOT / name


@pytest.mark.parametrize("name", ["crawler", "nlp", "pipelines"])
def test_package_imports_from_repository_in_a_fresh_interpreter(name, tmp_path):
    code = f"import {name}, pathlib; print(pathlib.Path({name}.__file__).resolve().parent)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert Path(out.stdout.strip()) == ROOT / name


def test_nlp_does_not_import_crawler_or_pipelines():
    code = "import sys, nlp; nlp.extract('Chi bộ có 12 đảng viên.'); print(sorted(m for m in sys.modules if m.split('.')[0] in ('crawler', 'pipelines')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci and "make test" in readme and "make demo" in readme


def test_dependencies_are_pinned():
    lock = (ROOT / "requirements.lock").read_text()
    for pkg in ("underthesea", "scrapy", "spacy", "scikit-learn", "polars", "trafilatura", "duckdb",
                "duckdb-extension-fts", "pyarrow"):
        assert any(line.lower().startswith(f"{pkg}==") or line.lower().replace("_", "-").startswith(f"{pkg}==")
                   for line in lock.splitlines()), pkg
    assert "duckdb==1.5.5" in lock and "duckdb-extension-fts==1.5.5" in lock.replace("_", "-")
