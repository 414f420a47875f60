"""Extraction beyond one machine: a folder of JSONL or Parquet shards through a Dask distributed cluster.

``extract_shards(INPUT_DIR, OUTPUT_DIR, engine="dask")`` turns every input shard
``INPUT_DIR/<name>.jsonl`` or ``INPUT_DIR/<name>.parquet`` (columns doc_id, text and optionally
url, source, title, lead, published; read a row group batch at a time, nlp.batch.parquet_rows)
into ``OUTPUT_DIR/<name>.jsonl`` (contract JSONL, input order) and
``OUTPUT_DIR/<name>.rejects.jsonl``, exactly as ``nlp.batch.extract_file`` does for one file (it
is what runs on the worker), plus ``OUTPUT_DIR/<name>.manifest.json``: the SHA-256 of the input
shard and of the output, and the counts. One shard is one task.

- **Once per worker**: a worker plugin (``WarmPipeline``) loads the extractors, their reference
  data and the practice models when the worker starts (``nlp.batch.warm``; again on a worker
  that replaces a dead one).
- **Retries**: a task whose worker dies (killed, out of memory) is rescheduled by the scheduler
  (``distributed.scheduler.allowed-failures``, 3 by default); a task that raises is resubmitted
  up to ``retries`` times (Dask's ``retries=``). A shard that still fails is reported, the
  others finish.
- **Never twice**: outputs are written as ``.part`` and renamed, the manifest last; a shard whose
  manifest names the input's current hash and whose output has the recorded size and hash is done,
  and a re-run skips it (on the client, and again on the worker). A changed shard is redone.
- Input and output folders must be visible to every worker at the same path (one machine, or a
  shared file system on a cluster).

Doc ids are checked for duplicates within a shard (``duplicate_doc_id``), not across shards.
The per-document wall-time guard (``nlp.settings.TIME_LIMIT``, SIGALRM) needs the main thread:
Dask runs tasks in worker threads, so there only the size limits of ``nlp.settings`` apply.

Dask distributed rather than Ray (measured on the 2-core development machine): a local 2-worker
Dask cluster is up in ~1.1 s (import 0.5 s, the whole start-use-stop cycle ~1.9 s, 50 MB for the
client process) and ships as ~25 MB of pure Python; ``ray.init`` took 7.2-7.8 s (the cycle
9.3-10 s) and Ray's wheel is ~240 MB installed.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

from nlp.batch import COUNTED, rejects_path

log = logging.getLogger(__name__)

ENGINES = ("dask",)
SHARD_SUFFIXES = (".jsonl", ".parquet")
MANIFEST_VERSION = 1
PLUGIN_NAME = "xdd-warm-pipeline"


# ------------------------------------------------------------------ shards and manifests
def list_shards(input_dir: Path) -> list[Path]:
    """The input shards: ``*.jsonl`` and ``*.parquet`` files of ``input_dir`` (not rejects
    files), by name. Two shards of one name (``a.jsonl``, ``a.parquet``) would write the same
    output: ``ValueError``."""
    shards = sorted(p for p in Path(input_dir).iterdir() if p.is_file() and p.suffix in SHARD_SUFFIXES
                    and not p.name.endswith(".rejects.jsonl"))
    seen: dict[str, Path] = {}
    for p in shards:
        if p.stem in seen:
            raise ValueError(f"two shards would write {p.stem}.jsonl: {seen[p.stem].name} and {p.name}")
        seen[p.stem] = p
    return shards


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes (hex), read in 1 MB blocks."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def shard_output(output_dir: Path, shard: Path) -> Path:
    """Where the contract JSONL of ``shard`` goes: ``OUTPUT_DIR/<shard name>.jsonl``."""
    return Path(output_dir) / f"{Path(shard).stem}.jsonl"


def manifest_path(output_dir: Path, shard: Path) -> Path:
    return Path(output_dir) / f"{Path(shard).stem}.manifest.json"


def read_manifest(output_dir: Path, shard: Path) -> dict | None:
    try:
        return json.loads(manifest_path(output_dir, shard).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_done(shard: Path, output_dir: Path, digest: str | None = None) -> bool:
    """True when ``shard``'s output is complete for the input as it is now: the manifest names
    the input's hash, the output and rejects files exist with the recorded sizes, and the output
    has the recorded hash."""
    m = read_manifest(output_dir, shard)
    if not m or m.get("version") != MANIFEST_VERSION:
        return False
    out = shard_output(output_dir, shard)
    rej = rejects_path(out)
    try:
        if out.stat().st_size != m["output_bytes"] or rej.stat().st_size != m["rejects_bytes"]:
            return False
    except (OSError, KeyError):
        return False
    if m.get("input_sha256") != (digest or file_hash(shard)):
        return False
    return file_hash(out) == m.get("output_sha256")


def _write_json(path: Path, obj: dict) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


# ------------------------------------------------------------------ the task (runs on a worker)
def extract_shard(shard: str, output_dir: str, digest: str) -> dict:
    """Extract one shard into ``output_dir`` (``nlp.batch.extract_file``, in this process) and
    write its manifest last. Already done (same input hash): nothing is redone."""
    from nlp.batch import extract_file

    shard_p, out_dir = Path(shard), Path(output_dir)
    where = {"host": socket.gethostname(), "pid": os.getpid()}
    if is_done(shard_p, out_dir, digest):
        return {"shard": shard_p.name, "status": "done_before", **where, **(read_manifest(out_dir, shard_p) or {})}
    started = time.monotonic()
    out = shard_output(out_dir, shard_p)
    manifest_path(out_dir, shard_p).unlink(missing_ok=True)   # an old manifest must not vouch for new files
    stats = extract_file(shard_p, out, workers=1, progress=False)
    if file_hash(shard_p) != digest:
        raise RuntimeError(f"input shard changed while it was extracted: {shard_p}")
    manifest = {"version": MANIFEST_VERSION, "input": shard_p.name, "input_sha256": digest,
                "input_bytes": shard_p.stat().st_size,
                "output": out.name, "output_sha256": file_hash(out), "output_bytes": out.stat().st_size,
                "rejects": rejects_path(out).name, "rejects_bytes": rejects_path(out).stat().st_size,
                "docs": stats["docs"], "skipped": dict(stats["skipped"]),
                **{k: stats[k] for k in COUNTED},
                "elapsed_s": round(time.monotonic() - started, 3), **where}
    _write_json(manifest_path(out_dir, shard_p), manifest)
    return {"shard": shard_p.name, "status": "extracted", **manifest}


def _warm() -> None:
    from nlp.batch import warm

    warm()


def _plugin():
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmPipeline(WorkerPlugin):
        """Loads the extraction pipeline once per worker, when the worker starts."""

        idempotent = True

        def setup(self, worker) -> None:
            started = time.monotonic()
            _warm()
            log.info("xdd pipeline warm on %s in %.1f s", worker.address, time.monotonic() - started)

    return WarmPipeline()


# ------------------------------------------------------------------ the job (runs on the client)
def check_dirs(input_dir: Path, output_dir: Path) -> None:
    """``ValueError`` (one line) when the input is not a folder of shards or the output folder
    would overwrite it."""
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    if not input_dir.is_dir():
        raise ValueError(f"--input must be a folder of .jsonl or .parquet shards with --engine dask: {input_dir}")
    if output_dir.exists() and not output_dir.is_dir():
        raise ValueError(f"--output must be a folder with --engine dask: {output_dir}")
    if output_dir.resolve() == input_dir.resolve():
        raise ValueError(f"output folder is the input folder: {output_dir}")
    list_shards(input_dir)          # two shards of one name


def _local_cluster(workers: int):
    from distributed import LocalCluster

    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                        silence_logs=logging.ERROR)


def _say(enabled: bool, message: str) -> None:
    if enabled:
        print(message, file=sys.stderr, flush=True)


def extract_shards(input_dir: Path, output_dir: Path, engine: str = "dask", scheduler: str | None = None,
                   workers: int = 2, retries: int = 2, progress: bool = True) -> dict:
    """Extract every shard of ``input_dir`` into ``output_dir`` on a Dask cluster: the one at
    ``scheduler`` (``tcp://host:8786``), else a local one of ``workers`` processes started and
    stopped here. Finished shards are skipped. Returns ``{"engine", "scheduler", "workers",
    "shards", "extracted", "done_before", "failed": [{"shard", "error"}], "docs", "skipped",
    <counts>, "elapsed_s", "results": [per shard]}``."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (one of: local, {', '.join(ENGINES)})")
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    check_dirs(input_dir, output_dir)
    started = time.monotonic()
    shards = list_shards(input_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    digests = {s: file_hash(s) for s in shards}
    todo = [s for s in shards if not is_done(s, output_dir, digests[s])]
    summary: dict = {"engine": engine, "scheduler": scheduler or "local", "workers": None,
                     "shards": len(shards), "extracted": 0, "done_before": len(shards) - len(todo),
                     "failed": [], "docs": 0, "skipped": Counter(), **{k: 0 for k in COUNTED}, "results": []}
    _say(progress, f"extract: {len(shards)} shards, {len(todo)} to do, {summary['done_before']} done before")
    if todo:
        _run_dask(todo, output_dir, digests, scheduler, workers, retries, summary, progress)
    for r in summary["results"]:
        if r.get("status") == "done_before":
            summary["done_before"] += 1
    summary["skipped"] = dict(summary["skipped"])
    summary["elapsed_s"] = round(time.monotonic() - started, 3)
    _say(progress, f"extract: {summary['extracted']} shards extracted ({summary['docs']} docs), "
                   f"{summary['done_before']} done before, {len(summary['failed'])} failed "
                   f"in {summary['elapsed_s']} s")
    return summary


def _run_dask(todo: list[Path], output_dir: Path, digests: dict, scheduler: str | None, workers: int,
              retries: int, summary: dict, progress: bool) -> None:
    from distributed import Client, as_completed

    cluster = None if scheduler else _local_cluster(workers)
    try:
        with Client(scheduler or cluster, set_as_default=False) as client:
            client.register_plugin(_plugin(), name=PLUGIN_NAME)
            summary["workers"] = len(client.scheduler_info(n_workers=-1).get("workers", {}))
            futures = {client.submit(extract_shard, str(s.resolve()), str(output_dir.resolve()), digests[s],
                                     retries=retries, pure=False, key=f"xdd-extract-{s.name}-{uuid.uuid4().hex[:12]}"): s
                       for s in todo}
            for fut in as_completed(futures, loop=client.loop):
                shard = futures[fut]
                try:
                    r = fut.result()
                except Exception as exc:  # noqa: BLE001 - reported per shard, the others go on
                    summary["failed"].append({"shard": shard.name, "error": f"{type(exc).__name__}: {exc}"[:500]})
                    _say(progress, f"extract: {shard.name} failed: {type(exc).__name__}: {exc}")
                    continue
                summary["results"].append(r)
                if r["status"] == "extracted":
                    summary["extracted"] += 1
                    summary["docs"] += r["docs"]
                    summary["skipped"].update(r["skipped"])
                    for k in COUNTED:
                        summary[k] += r[k]
                _say(progress, f"extract: {shard.name} {r['status']} ({r.get('docs', 0)} docs) on pid {r['pid']}")
    finally:
        if cluster is not None:
            cluster.close()
