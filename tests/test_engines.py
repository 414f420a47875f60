"""`xdd extract --engine dask`: the demo corpus in shards on a local 2-worker Dask cluster.

One cluster for the module. The first run kills the worker that starts one shard (SIGKILL, once):
the scheduler reschedules that shard and the run still finishes. Checked: the output per doc_id
equals the default (multiprocessing) path's, a re-run does no work, a changed shard alone is
redone, an incomplete output is not taken for done; Parquet shards (mixed with JSONL ones) give
the same output as JSONL, a Parquet file that is not one is a failed shard or a one-line error.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
import cloudpickle  # noqa: E402  (a dependency of distributed)

from nlp.batch import extract_file  # noqa: E402
from nlp.engines import extract_shards, is_done, list_shards, manifest_path  # noqa: E402

SHARDS = 4
KILLED = "part-001.jsonl"

cloudpickle.register_pickle_by_value(sys.modules[__name__])   # the plugin below, sent to workers by value


class KillOnce(distributed.WorkerPlugin):
    """Kills its worker process (SIGKILL) when the task of one shard starts executing, once
    (a marker file records the killed pid)."""

    idempotent = True

    def __init__(self, shard: str, marker: str):
        self.shard, self.marker = shard, marker

    def setup(self, worker) -> None:
        pass

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish == "executing" and f"-{self.shard}-" in str(key) and not os.path.exists(self.marker):
            Path(self.marker).write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)


def _by_doc(paths) -> dict[str, str]:
    out = {}
    for p in paths:
        for line in Path(p).read_text(encoding="utf-8").splitlines():
            doc_id = json.loads(line)["doc_id"]
            assert doc_id not in out, doc_id
            out[doc_id] = line
    return out


def _reasons(paths) -> list[str]:
    return sorted(json.loads(line)["reason"] for p in paths if Path(p).exists()
                  for line in Path(p).read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The demo site's articles (crawled by the project's spider) in SHARDS shards, plus the
    whole input as one file; one shard carries a line that is not JSON (a reject)."""
    from pipelines.demo import DEMO_SITE, crawl_demo

    root = tmp_path_factory.mktemp("engines")
    _, articles, _ = crawl_demo(DEMO_SITE, {}, root / "crawl")
    assert len(articles) >= 40
    shards = root / "shards"
    shards.mkdir()
    lines = [json.dumps(a, ensure_ascii=False) for a in articles]
    for i in range(SHARDS):
        part = lines[i::SHARDS] + (["{not json"] if i == 2 else [])
        (shards / f"part-{i:03d}.jsonl").write_text("\n".join(part) + "\n", encoding="utf-8")
    whole = root / "all.jsonl"
    whole.write_text("".join(p.read_text(encoding="utf-8") for p in list_shards(shards)), encoding="utf-8")
    return root, shards, whole


@pytest.fixture(scope="module")
def baseline(corpus):
    root, _, whole = corpus
    out = root / "default" / "extractions.jsonl"
    extract_file(whole, out, workers=2, progress=False)
    return out


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster
    import logging

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as lc:
        yield lc.scheduler_address


@pytest.fixture(scope="module")
def first_run(corpus, cluster):
    root, shards, _ = corpus
    marker = root / "killed.pid"
    with distributed.Client(cluster, set_as_default=False) as client:
        client.register_plugin(KillOnce(KILLED, str(marker)), name="test-kill-once")
    out = root / "out"
    summary = extract_shards(shards, out, scheduler=cluster, progress=False)
    with distributed.Client(cluster, set_as_default=False) as client:
        client.unregister_worker_plugin("test-kill-once")
    return out, summary, marker


def test_identical_to_default_path(first_run, baseline):
    out, summary, _ = first_run
    assert summary["failed"] == [] and summary["extracted"] == SHARDS and summary["workers"] == 2
    sharded = _by_doc(p for p in sorted(out.glob("part-*.jsonl")) if not p.name.endswith(".rejects.jsonl"))
    default = _by_doc([baseline])
    assert len(sharded) == summary["docs"] >= 40
    assert sharded == default            # the same JSON, byte for byte, per doc_id
    assert _reasons(out.glob("*.rejects.jsonl")) == _reasons([baseline.with_name("extractions.rejects.jsonl")]) \
        == ["bad_json"]
    assert not list(out.glob("*.part"))


def test_killed_worker_shard_still_finishes(first_run, corpus):
    out, summary, marker = first_run
    _, shards, _ = corpus
    assert marker.exists(), "the worker running the shard was not killed"
    killed_pid = int(marker.read_text())
    manifest = json.loads(manifest_path(out, shards / KILLED).read_text(encoding="utf-8"))
    assert manifest["pid"] != killed_pid                      # finished by another worker process
    assert manifest["docs"] > 0 and is_done(shards / KILLED, out)
    assert {r["shard"] for r in summary["results"]} == {p.name for p in list_shards(shards)}


def test_rerun_does_no_work(first_run, corpus, cluster):
    from click.testing import CliRunner

    from pipelines.cli import main

    out, _, _ = first_run
    _, shards, _ = corpus
    before = {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in out.iterdir()}
    summary = extract_shards(shards, out, scheduler=cluster, progress=False)
    assert (summary["extracted"], summary["done_before"], summary["workers"]) == (0, SHARDS, None)
    result = CliRunner().invoke(main, ["extract", "--engine", "dask", "--scheduler", cluster,
                                       "--input", str(shards), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.strip().splitlines()[-1])["done_before"] == SHARDS
    assert {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in out.iterdir()} == before


def test_changed_shard_alone_is_redone(first_run, corpus, cluster, tmp_path):
    out, _, _ = first_run
    _, shards, _ = corpus
    shards2, out2 = tmp_path / "shards", tmp_path / "out"
    shutil.copytree(shards, shards2)
    shutil.copytree(out, out2)
    changed = shards2 / "part-000.jsonl"
    changed.write_text(changed.read_text(encoding="utf-8") + json.dumps(
        {"doc_id": "added-1", "text": "Đảng bộ huyện có 3.412 đảng viên sinh hoạt ở 96 chi bộ."},
        ensure_ascii=False) + "\n", encoding="utf-8")
    summary = extract_shards(shards2, out2, scheduler=cluster, progress=False)
    assert (summary["extracted"], summary["done_before"], summary["failed"]) == (1, SHARDS - 1, [])
    assert [r["shard"] for r in summary["results"]] == ["part-000.jsonl"]
    assert "added-1" in _by_doc([out2 / "part-000.jsonl"])


def test_incomplete_output_is_not_done(first_run, corpus, tmp_path):
    out, _, _ = first_run
    _, shards, _ = corpus
    out2 = tmp_path / "out"
    shutil.copytree(out, out2)
    shard = shards / "part-003.jsonl"
    assert is_done(shard, out2)
    target = out2 / "part-003.jsonl"
    data = target.read_bytes()
    target.write_bytes(data[:-1] + b" ")          # same size, other bytes
    assert not is_done(shard, out2)
    target.write_bytes(data[: len(data) // 2])    # torn
    assert not is_done(shard, out2)
    target.write_bytes(data)
    assert is_done(shard, out2)
    manifest_path(out2, shard).unlink()           # killed before its manifest: redone
    assert not is_done(shard, out2)


def test_cli_errors(tmp_path):
    from click.testing import CliRunner

    from pipelines.cli import main

    (tmp_path / "a.jsonl").write_text("{}\n")
    r = CliRunner().invoke(main, ["extract", "--engine", "dask", "--input", str(tmp_path / "a.jsonl"),
                                  "--output", str(tmp_path / "o")])
    assert r.exit_code == 1 and "folder of .jsonl or .parquet shards" in r.output
    r = CliRunner().invoke(main, ["extract", "--engine", "dask", "--input", str(tmp_path),
                                  "--output", str(tmp_path)])
    assert r.exit_code == 1 and "output folder is the input folder" in r.output
    r = CliRunner().invoke(main, ["extract", "--scheduler", "tcp://127.0.0.1:1", "--input",
                                  str(tmp_path / "a.jsonl"), "--output", str(tmp_path / "o.jsonl")])
    assert r.exit_code == 2 and "only with --engine dask" in r.output


# ------------------------------------------------------------------ Parquet shards
def _parquet(path: Path, lines: list[str]) -> None:
    """Articles as a Parquet file: published as a timestamp with its offset, every other field
    as it is (lists, numbers and all: the reader takes only the columns it knows)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datetime import datetime

    rows = [json.loads(line) for line in lines]
    for r in rows:
        r["published"] = datetime.fromisoformat(r["published"]) if r.get("published") else None
    table = pa.Table.from_pylist(rows)
    table = table.set_column(table.schema.get_field_index("published"), "published",
                             table["published"].cast(pa.timestamp("s", tz="+07:00")))
    pq.write_table(table, path, row_group_size=7)


@pytest.fixture(scope="module")
def mixed(corpus):
    """The same shards, two of them (part-000, part-001) as Parquet, the others JSONL."""
    root, shards, _ = corpus
    mixed = root / "mixed"
    mixed.mkdir()
    for p in list_shards(shards):
        lines = p.read_text(encoding="utf-8").splitlines()
        if p.name in ("part-000.jsonl", "part-001.jsonl"):
            _parquet(mixed / f"{p.stem}.parquet", lines)
        else:
            shutil.copyfile(p, mixed / p.name)
    return mixed


def test_parquet_shards_equal_jsonl_ones(mixed, cluster, baseline, tmp_path):
    import pyarrow.parquet as pq

    assert sorted(p.name for p in list_shards(mixed)) == ["part-000.parquet", "part-001.parquet",
                                                          "part-002.jsonl", "part-003.jsonl"]
    assert str(pq.read_schema(mixed / "part-000.parquet").field("published").type).startswith("timestamp")
    out = tmp_path / "out"
    summary = extract_shards(mixed, out, scheduler=cluster, progress=False)
    assert summary["failed"] == [] and summary["extracted"] == SHARDS
    outputs = sorted(p for p in out.glob("part-*.jsonl") if not p.name.endswith(".rejects.jsonl"))
    assert [p.name for p in outputs] == [f"part-{i:03d}.jsonl" for i in range(SHARDS)]
    assert _by_doc(outputs) == _by_doc([baseline])            # byte for byte, per doc_id
    assert _reasons(out.glob("*.rejects.jsonl")) == ["bad_json"]
    assert is_done(mixed / "part-000.parquet", out)
    again = extract_shards(mixed, out, scheduler=cluster, progress=False)
    assert (again["extracted"], again["done_before"]) == (0, SHARDS)


def test_parquet_file_locally_and_bad_parquet(mixed, corpus, tmp_path):
    from click.testing import CliRunner

    from pipelines.cli import main

    _, shards, _ = corpus
    local = tmp_path / "local.jsonl"
    r = CliRunner().invoke(main, ["extract", "--input", str(mixed / "part-001.parquet"), "--output", str(local),
                                  "--workers", "1"])
    assert r.exit_code == 0, r.output
    want = tmp_path / "want.jsonl"
    extract_file(shards / "part-001.jsonl", want, workers=1, progress=False)
    assert local.read_bytes() == want.read_bytes() and local.stat().st_size > 0
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 not really")
    r = CliRunner().invoke(main, ["extract", "--input", str(bad), "--output", str(tmp_path / "b.jsonl")])
    assert r.exit_code == 1 and r.output.count("\n") == 1 and r.output.startswith(f"error: cannot read {bad} as Parquet")


def test_bad_and_clashing_parquet_shards(mixed, cluster, tmp_path):
    from click.testing import CliRunner

    from pipelines.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(mixed / "part-002.jsonl", folder / "good.jsonl")
    (folder / "bad.parquet").write_bytes(b"not parquet at all")
    summary = extract_shards(folder, tmp_path / "out", scheduler=cluster, retries=0, progress=False)
    assert summary["extracted"] == 1 and [f["shard"] for f in summary["failed"]] == ["bad.parquet"]
    assert "as Parquet" in summary["failed"][0]["error"]
    shutil.copyfile(mixed / "part-000.parquet", folder / "good.parquet")
    r = CliRunner().invoke(main, ["extract", "--engine", "dask", "--scheduler", cluster, "--input", str(folder),
                                  "--output", str(tmp_path / "out2")])
    assert r.exit_code == 1 and r.output.count("\n") == 1 and "two shards would write good.jsonl" in r.output
