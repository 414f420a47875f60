"""A large synthetic corpus for knowledge-base benchmarks, recombined from the demo articles.

Each synthetic article joins the paragraphs of two demo articles; their facts come along with
offsets shifted, so every fact still points at its exact words.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Iterator

from pipelines.jsonl import read_jsonl

FACT_KEYS = ("entities", "directives", "metrics", "practices")


def shift(items: list[dict], offset: int) -> list[dict]:
    return [{**it, "start": it["start"] + offset, "end": it["end"] + offset} for it in items]


def combine(i: int, a: tuple[dict, dict], b: tuple[dict, dict]) -> tuple[dict, dict]:
    (art_a, ext_a), (art_b, ext_b) = a, b
    text = f"{art_a['text']}\n{art_b['text']}"
    offset = len(art_a["text"]) + 1
    doc_id = f"syn{i:07d}"
    art = {**art_a, "doc_id": doc_id, "url": f"{art_a['url']}?syn={i}", "canonical_url": f"{art_a['url']}?syn={i}",
           "text": text, "content_hash": None, "duplicate_of": None}
    ext = {"doc_id": doc_id, "province": ext_a.get("province")}
    for k in FACT_KEYS:
        ext[k] = list(ext_a.get(k, [])) + shift(ext_b.get(k, []), offset)
    ext["sentences"] = list(ext_a.get("sentences", [])) + [[s + offset, e + offset] for s, e in ext_b.get("sentences", [])]
    return art, ext


def corpus(base: list[tuple[dict, dict]], n: int, seed: int = 7) -> Iterator[tuple[dict, dict]]:
    rng = random.Random(seed)
    for i in range(n):
        yield combine(i, rng.choice(base), rng.choice(base))


def demo_pairs(work: Path) -> list[tuple[dict, dict]]:
    """(article, extraction) pairs of the demo crawl in `work` (articles.jsonl + extractions.jsonl)."""
    exts = {e["doc_id"]: e for e in read_jsonl(work / "extractions.jsonl")}
    return [(a, exts[a["doc_id"]]) for a in read_jsonl(work / "articles.jsonl") if a["doc_id"] in exts
            and not a.get("duplicate_of")]
