"""Rebuild articles from stored raw HTML (`raw_dir/<source>/<doc_id>.html.gz`) without re-crawling."""
from __future__ import annotations

import gzip
import json
import time
from datetime import datetime
from pathlib import Path

from crawler.item_pipelines import write_records
from crawler.parse import parse_article
from crawler.report import CrawlReport, _source_entry
from crawler.sources import get_source, load_sources


def _pages(raw_dir: Path):
    for path in sorted(Path(raw_dir).glob("*/*.html.gz")):
        meta_path = path.with_name(path.name[: -len(".html.gz")] + ".meta.json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        yield path, meta


def _count_skip(report: CrawlReport, source: str, reason: str) -> None:
    report.skipped[reason] = report.skipped.get(reason, 0) + 1
    entry = _source_entry(report.per_source, source)
    entry["skipped"][reason] = entry["skipped"].get(reason, 0) + 1


def reextract(raw_dir: Path, output: Path, seen: dict | None = None, threshold: int = 6) -> CrawlReport:
    """Parse every stored page again with the current configs; write `output` (+ `.skips.jsonl`)."""
    started, sources = time.monotonic(), load_sources()
    report, records, ids = CrawlReport(output=str(output)), [], set()
    skips_path = Path(output).with_suffix(".skips.jsonl")
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    with skips_path.open("w", encoding="utf-8") as skips:
        for path, meta in _pages(raw_dir):
            name = meta.get("source") or path.parent.name
            report.fetched += 1
            _source_entry(report.per_source, name)["fetched"] += 1
            fetched = datetime.fromisoformat(meta["fetched_at"]) if meta.get("fetched_at") else None
            res = parse_article(gzip.decompress(path.read_bytes()), meta.get("url", ""),
                                sources.get(name) or (get_source(name) if "." not in name else None),
                                fetched, content_type=meta.get("content_type"), explicit=bool(meta.get("explicit")))
            reason = res.skip or ("duplicate_url" if res.article["doc_id"] in ids else None)
            if reason:
                _count_skip(report, name, reason)
                skips.write(json.dumps({"url": meta.get("url"), "reason": reason, "detail": res.detail}, ensure_ascii=False) + "\n")
                continue
            ids.add(res.article["doc_id"])
            records.append({**res.article, "raw_path": str(path)})
    report.near_duplicates = write_records(records, Path(output), seen or {}, threshold)
    report.kept = len(records)
    for rec in records:
        entry = _source_entry(report.per_source, rec["source"])
        entry["kept"] += 1
        entry["near_duplicates"] += bool(rec["duplicate_of"])
    report.skips_path, report.elapsed_s = str(skips_path), round(time.monotonic() - started, 3)
    return report
