"""The article record: stable ids and content fingerprints."""
from __future__ import annotations

import hashlib

from crawler.simhash import simhash

FIELDS = ("doc_id", "source", "url", "canonical_url", "site_article_id", "title", "lead", "lead_tag",
          "author", "published", "published_precision", "tags", "text", "fetched_at",
          "content_hash", "simhash", "duplicate_of", "raw_path",
          "province", "province_2025", "extracted_by", "boilerplate_share")


def make_doc_id(source: str, article_id: str | None, canonical_url: str) -> str:
    """16 hex chars: sha1 of `source:article_id`, else of the canonical URL."""
    key = f"{source}:{article_id}" if article_id else canonical_url
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def content_hash(text: str) -> str:
    """sha1 hex of the cleaned body text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def outlet_fields(source, url: str) -> dict:
    """`province` / `province_2025` of the outlet (data/reference/outlets.csv): by the source's
    domains, else by the URL's host, else by the source name; None for national outlets."""
    try:
        from nlp.outlets import outlet_for
    except ImportError:   # the crawler runs without the NLP package
        return {"province": None, "province_2025": None}
    keys = [*(getattr(source, "domains", ()) or ()), url, getattr(source, "name", None)]
    outlet = next((o for o in map(outlet_for, keys) if o is not None), None)
    if outlet is None:
        return {"province": None, "province_2025": None}
    return {"province": outlet.province or None, "province_2025": outlet.province_2025 or None}


def finish_record(**fields) -> dict:
    """Complete a record: doc_id, content_hash, simhash (decimal string), null crawl fields."""
    rec = dict.fromkeys(FIELDS)
    rec.update(fields)
    rec["doc_id"] = make_doc_id(rec["source"], rec["site_article_id"], rec["canonical_url"])
    rec["content_hash"] = content_hash(rec["text"])
    rec["simhash"] = str(simhash(rec["text"]))
    return rec
