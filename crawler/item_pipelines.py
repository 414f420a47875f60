"""Item pipelines, one concern each; each counts in `crawler.stats` and drops with a reason."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from crawler.records import FIELDS
from crawler.simhash import near, resolve_clusters
from crawler.skips import Skip
from crawler.text import normalise


class _Base:
    """Shared `from_crawler` wiring and stats helpers."""

    key = "base"

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.options = crawler.settings.getdict("XDD_OPTIONS")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def inc(self, event: str, item: dict | None = None) -> None:
        self.stats.inc_value(f"xdd/{self.key}/{event}")

    def skip(self, item: dict, reason: str, detail: str = "") -> Skip:
        """A `Skip` drop for this item, counted under `xdd/skipped/<reason>`."""
        return Skip(reason, detail, item.get("url", ""), item.get("source"))


class ValidatePipeline(_Base):
    """Skip markers from the spider (parse failures, HTTP errors) become `Skip` drops."""

    key = "validate"

    def process_item(self, item: dict) -> dict:
        if "_skip" in item:
            self.inc(item["_skip"])
            raise self.skip(item, item["_skip"], item.get("detail", ""))
        if not item.get("text"):
            raise self.skip(item, "empty_body", "no text")
        return item


class NormalisePipeline(_Base):
    """NFC and U+00D0 → Đ on every text field (counts fields it had to change)."""

    key = "normalise"

    def process_item(self, item: dict) -> dict:
        for name in ("title", "lead", "author", "text", "lead_tag"):
            value = item.get(name)
            if isinstance(value, str) and normalise(value) != value:
                item[name] = normalise(value)
                self.inc(f"changed/{name}")
        item["tags"] = [normalise(t) for t in item.get("tags") or []]
        return item


class IncrementalPipeline(_Base):
    """`unchanged`: the document is in `seen` with the same content hash."""

    key = "incremental"

    def process_item(self, item: dict) -> dict:
        known = (self.options.get("seen") or {}).get(item["doc_id"])
        if known and item.get("_explicit"):      # named with --url: kept even when unchanged
            self.inc("explicit")
            return item
        if known and known.get("content_hash") == item["content_hash"]:
            self.inc("unchanged")
            raise self.skip(item, "unchanged", "same content hash as the knowledge base")
        if known:
            self.inc("changed")
        return item


class DedupPipeline(_Base):
    """`duplicate_url`: same article id / doc_id or canonical URL already kept in this crawl."""

    key = "dedup"

    def __init__(self, crawler):
        super().__init__(crawler)
        self.ids: dict[str, str] = {}
        self.canonicals: dict[str, str] = {}
        for rec in read_records(job_records_path(self.options)):   # kept by an earlier run of this job
            self.ids[rec["doc_id"]] = rec["url"]
            if rec.get("canonical_url"):
                self.canonicals[rec["canonical_url"]] = rec["url"]
        seen = self.options.get("seen") or {}
        self.seen_canonicals = {s.get("canonical_url"): d for d, s in seen.items() if s.get("canonical_url")}

    def process_item(self, item: dict) -> dict:
        doc, canon = item["doc_id"], item.get("canonical_url")
        first = self.ids.get(doc) or self.canonicals.get(canon)
        other = None if item.get("_explicit") else self.seen_canonicals.get(canon)
        if first or (other and other != doc):
            self.inc("duplicate_url")
            raise self.skip(item, "duplicate_url", f"same article as {first or other}")
        self.ids[doc] = item["url"]
        if canon:
            self.canonicals[canon] = item["url"]
        return item


class NearDuplicatePipeline(_Base):
    """SimHash near-duplicates: a provisional `duplicate_of` against earlier items and `seen`."""

    key = "near_duplicate"

    def __init__(self, crawler):
        super().__init__(crawler)
        self.threshold = crawler.settings.getint("XDD_SIMHASH_DISTANCE", 6)
        seen = self.options.get("seen") or {}
        self.hashes: list[tuple[str, str]] = [(d, s.get("simhash")) for d, s in seen.items() if s.get("simhash")]

    def process_item(self, item: dict) -> dict:
        hit = next((d for d, h in self.hashes if d != item["doc_id"] and near(item["simhash"], h, self.threshold)), None)
        item["duplicate_of"] = hit
        if hit:
            self.inc("found")
        self.hashes.append((item["doc_id"], item["simhash"]))
        return item


class RawStorePipeline(_Base):
    """Gzip the fetched HTML per page under `raw_dir/<source>/<doc_id>.html.gz` (+ `.meta.json`)."""

    key = "raw"

    def __init__(self, crawler):
        super().__init__(crawler)
        self.folders: set[Path] = set()

    def process_item(self, item: dict) -> dict:
        raw = item.pop("_raw", None)
        ctype = item.pop("_content_type", None)
        raw_dir = self.options.get("raw_dir")
        if raw is None or not raw_dir:
            return item
        folder = Path(raw_dir) / item["source"]
        if folder not in self.folders:
            folder.mkdir(parents=True, exist_ok=True)
            self.folders.add(folder)
        path = folder / f"{item['doc_id']}.html.gz"
        path.write_bytes(gzip.compress(raw, compresslevel=6, mtime=0))   # level 9 costs ~2x for ~1% smaller
        meta = {"url": item["url"], "source": item["source"], "fetched_at": item["fetched_at"],
                "explicit": bool(item.get("_explicit")),
                "content_type": ctype, "generic": item["source"] not in (self.options.get("source_names") or [])}
        (folder / f"{item['doc_id']}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        item["raw_path"] = str(path)
        self.inc("stored")
        return item


class JsonlWriterPipeline(_Base):
    """Append records to `<output>.partial`; at close, resolve clusters and write `output` fresh."""

    key = "writer"

    def __init__(self, crawler):
        super().__init__(crawler)
        self.output = Path(self.options["output"])
        self.job_records = job_records_path(self.options)
        self.partial = self.job_records or self.output.with_name(self.output.name + ".partial")
        self.threshold = crawler.settings.getint("XDD_SIMHASH_DISTANCE", 6)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.partial.parent.mkdir(parents=True, exist_ok=True)
        if not self.job_records and self.partial.exists():
            self.partial.unlink()
        self.fh = self.partial.open("a", encoding="utf-8")

    def process_item(self, item: dict) -> dict:
        rec = {k: item.get(k) for k in FIELDS}
        self.fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        self.fh.flush()   # a killed run keeps what it kept (resumable with JOBDIR)
        self.inc("written")
        return item

    def close_spider(self) -> None:
        self.fh.close()
        records = read_records(self.partial)
        write_records(records, self.output, self.options.get("seen") or {}, self.threshold, self.stats)
        if not self.job_records:   # with a JOBDIR the job's records stay there for the resumed run
            self.partial.unlink()


def job_records_path(options: dict) -> Path | None:
    """Where a JOBDIR crawl keeps every record kept so far (so a resumed run writes them all)."""
    return Path(options["jobdir"]) / "xdd-records.jsonl" if options.get("jobdir") else None


def read_records(path: Path | None) -> list[dict]:
    """Records of a JSONL file (a torn last line from a killed run is ignored)."""
    if path is None or not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


def write_records(records: list[dict], output: Path, seen: dict, threshold: int, stats=None) -> int:
    """Assign `duplicate_of` by cluster (earliest published is canonical) and write JSONL; returns near-dups."""
    mapping = resolve_clusters(records, seen, threshold)
    n = 0
    if stats is not None:
        stats.set_value("xdd/kept", len(records))
        for rec in records:
            stats.inc_value(f"xdd/source/{rec['source']}/kept")
    tmp = output.with_name(output.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for rec in records:
            rec["duplicate_of"] = mapping.get(rec["doc_id"])
            if rec["duplicate_of"]:
                n += 1
                if stats is not None:
                    stats.inc_value(f"xdd/source/{rec['source']}/near_duplicates")
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(output)
    if stats is not None:
        stats.set_value("xdd/near_duplicates", n)
    return n
