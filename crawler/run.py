"""Library entry point: `crawl(CrawlOptions(...)) -> CrawlReport` (each crawl in a subprocess)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from crawler.report import CrawlReport


@dataclass
class CrawlOptions:
    """What to crawl and where to write it (see the README of `crawler/`)."""

    urls: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    source: str | None = "auto"
    output: Path = Path("articles.jsonl")
    seen: dict[str, dict] = field(default_factory=dict)
    since: str | None = None
    raw_dir: Path | None = Path("data/raw")
    jobdir: Path | None = None
    polite: bool = True
    max_pages: int | None = None
    progress: bool = True
    download_timeout: float = 30.0
    settings: dict = field(default_factory=dict)

    def to_json(self, report_path: Path) -> dict:
        """JSON-ready dict for the runner subprocess."""
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        for k in ("output", "raw_dir", "jobdir"):
            d[k] = str(d[k]) if d[k] is not None else None
        d["report_path"] = str(report_path)
        return d


def _validate(options: CrawlOptions) -> None:
    from crawler.sources import get_source

    if options.source not in (None, "auto") and get_source(options.source) is None:
        raise ValueError(f"unknown source {options.source!r}")


def _print_summary(report: CrawlReport) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False).print(f"[bold]xdd crawl[/bold]: {report.summary()}")


def crawl(options: CrawlOptions) -> CrawlReport:
    """Run one crawl in a fresh `python -m crawler.runner` process; callable many times."""
    _validate(options)
    Path(options.output).parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xdd-crawl-") as tmp:
        opts_path, report_path = Path(tmp) / "options.json", Path(tmp) / "report.json"
        opts_path.write_text(json.dumps(options.to_json(report_path), ensure_ascii=False), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[1]),
                                                             os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
        proc = subprocess.run([sys.executable, "-m", "crawler.runner", str(opts_path)], env=env,
                              stdout=subprocess.DEVNULL, stderr=None if options.progress else subprocess.PIPE)
        if proc.returncode != 0 or not report_path.exists():
            tail = (proc.stderr or b"").decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"crawler subprocess failed (exit {proc.returncode}): {tail}")
        report = CrawlReport.from_dict(json.loads(report_path.read_text(encoding="utf-8")))
    if options.progress:
        _print_summary(report)
    return report
