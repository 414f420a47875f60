"""Shared fixtures. `demo_kb`: the whole pipeline run once on the bundled demo site."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def demo_kb(tmp_path_factory):
    """(db_path, first DemoResult, work dir) after `xdd demo` into a temporary knowledge base."""
    from pipelines.demo import run_demo

    tmp = tmp_path_factory.mktemp("demo")
    db_path, work = tmp / "xdd.duckdb", tmp / "work"
    result = run_demo(db_path, work=work)
    return db_path, result, work
