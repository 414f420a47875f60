"""A large synthetic corpus for knowledge-base benchmarks, recombined from the demo articles.

Each synthetic article joins the paragraphs of two demo articles; their facts come along with
offsets shifted, so every fact still points at its exact words.
"""
from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Iterator

from pipelines.jsonl import read_jsonl

FACT_KEYS = ("entities", "directives", "metrics", "practices")


def shift(items: list[dict], offset: int) -> list[dict]:
    return [{**it, "start": it["start"] + offset, "end": it["end"] + offset} for it in items]


def combine(a: tuple[dict, dict], b: tuple[dict, dict]) -> tuple[dict, dict]:
    """The article (text and metadata of `a`) and extraction joining two demo articles."""
    (art_a, ext_a), (art_b, ext_b) = a, b
    text = f"{art_a['text']}\n{art_b['text']}"
    offset = len(art_a["text"]) + 1
    art = {**art_a, "text": text, "content_hash": None, "duplicate_of": None}
    ext = {"province": ext_a.get("province")}
    for k in FACT_KEYS:
        ext[k] = list(ext_a.get(k, [])) + shift(ext_b.get(k, []), offset)
    ext["sentences"] = list(ext_a.get("sentences", [])) + [[s + offset, e + offset] for s, e in ext_b.get("sentences", [])]
    return art, ext


def corpus(base: list[tuple[dict, dict]], n: int, seed: int = 7, prefix: str = "syn") -> Iterator[tuple[dict, dict]]:
    """n synthetic (article, extraction) pairs; ids are hashes, as the crawler's are. Each pair of
    demo articles is combined once (the generator's cost is not the load's)."""
    rng = random.Random(seed)
    combined: dict[tuple[int, int], tuple[dict, dict]] = {}
    for i in range(n):
        pair = (rng.randrange(len(base)), rng.randrange(len(base)))
        if pair not in combined:
            combined[pair] = combine(base[pair[0]], base[pair[1]])
        art, ext = combined[pair]
        doc_id = hashlib.sha1(f"{prefix}:{i}".encode()).hexdigest()[:16]
        url = f"{art['url']}?{prefix}={i}"
        yield {**art, "doc_id": doc_id, "url": url, "canonical_url": url}, {**ext, "doc_id": doc_id}


def demo_pairs(work: Path) -> list[tuple[dict, dict]]:
    """(article, extraction) pairs of the demo crawl in `work` (articles.jsonl + extractions.jsonl)."""
    exts = {e["doc_id"]: e for e in read_jsonl(work / "extractions.jsonl")}
    return [(a, exts[a["doc_id"]]) for a in read_jsonl(work / "articles.jsonl") if a["doc_id"] in exts
            and not a.get("duplicate_of")]
