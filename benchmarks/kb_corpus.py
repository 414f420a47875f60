"""A large synthetic corpus for knowledge-base benchmarks, recombined from the demo articles.

Each synthetic article joins the paragraphs of two demo articles; their facts come along with
offsets shifted, so every fact still points at its exact words.

The demo has about 40 articles, so joining pairs alone gives some 1,600 distinct texts and each
practice passage recurs in thousands of articles: a search's best units would be thousands of
copies of one passage, which no real corpus has (copies of one article are deduplicated, and two
articles rarely share a passage word for word). So by default each synthetic article also has a
share (VARY) of its lower-case words outside any fact's words replaced by other words of the
demo's vocabulary with the same number of characters (drawn by their frequency): offsets stay
true, the vocabulary and its frequencies stay those of the party press, every article and
practice passage is its own text, and the facts' own words (names, documents, figures, a
practice's actor and outcomes) are untouched. `vary=0` gives the old corpus of copies, the worst
case for ranking ties.
"""
from __future__ import annotations

import bisect
import hashlib
import random
import re
import time
from collections import Counter
from itertools import accumulate
from pathlib import Path
from typing import Iterator

from pipelines.jsonl import read_jsonl

FACT_KEYS = ("entities", "directives", "metrics", "practices")
VARY = 0.25                                  # share of the replaceable words replaced per article
WORD = re.compile(r"\w+")
NESTED = ("outcome", "actor")                # spans inside a practice record


def _nested(item: dict, offset: int) -> dict:
    out = dict(item)
    for key in NESTED:
        v = item.get(key)
        if isinstance(v, list):
            out[key] = [shift_one(x, offset) if isinstance(x, dict) else x for x in v]
        elif isinstance(v, dict):
            out[key] = shift_one(v, offset)
    return out


def shift_one(it: dict, offset: int) -> dict:
    return {**it, "start": it["start"] + offset, "end": it["end"] + offset} if "start" in it else it


def shift(items: list[dict], offset: int) -> list[dict]:
    return [_nested(shift_one(it, offset), offset) for it in items]


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


def _words(text: str) -> Iterator[re.Match]:
    """The lower-case words of `text` (letters only)."""
    return (m for m in WORD.finditer(text) if m.group().isalpha() and m.group().islower())


def _fact_spans(ext: dict) -> list[tuple[int, int]]:
    """Every fact's words but a practice's own passage (its actor and outcomes are kept)."""
    spans = [(it["start"], it["end"]) for k in ("entities", "directives", "metrics") for it in ext.get(k, [])]
    for p in ext.get("practices", []):
        for key in NESTED:
            v = p.get(key)
            for x in (v if isinstance(v, list) else [v]):
                if isinstance(x, dict) and "start" in x:
                    spans.append((x["start"], x["end"]))
    return sorted(spans)


def replaceable(text: str, ext: dict) -> list[tuple[int, int]]:
    """(start, end) of the lower-case words outside every fact's words."""
    spans = _fact_spans(ext)
    starts = [s for s, _ in spans]
    out = []
    for m in _words(text):
        i = bisect.bisect_right(starts, m.end()) - 1
        if any(s < m.end() and m.start() < e for s, e in spans[max(0, i - 8): i + 1]):
            continue
        out.append((m.start(), m.end()))
    return out


class Vocabulary:
    """The demo's lower-case words by length, drawn by their frequency."""

    def __init__(self, texts: list[str]):
        counts = Counter(m.group() for t in texts for m in _words(t))
        self.words: dict[int, list[str]] = {}
        self.cum: dict[int, list[int]] = {}
        for w, c in sorted(counts.items()):
            self.words.setdefault(len(w), []).append(w)
            self.cum.setdefault(len(w), []).append(c)
        self.cum = {n: list(accumulate(c)) for n, c in self.cum.items()}

    def draw_many(self, rng: random.Random, length: int, k: int) -> list[str]:
        """k words of `length` characters (the spot's own length has its words: they came from it)."""
        return rng.choices(self.words[length], cum_weights=self.cum[length], k=k)


def vary_text(text: str, spots: list[tuple[int, int]], vocab: Vocabulary, rng: random.Random, share: float) -> str:
    """`text` with `share` of `spots` replaced by vocabulary words of the same length."""
    k = int(share * len(spots))
    if k <= 0:
        return text
    chosen = sorted(rng.sample(spots, k))
    by_length: dict[int, int] = Counter(e - s for s, e in chosen)
    drawn = {n: iter(vocab.draw_many(rng, n, c)) for n, c in by_length.items()}
    parts, pos = [], 0
    for s, e in chosen:
        parts += [text[pos:s], next(drawn[e - s])]
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


def corpus(base: list[tuple[dict, dict]], n: int, seed: int = 7, prefix: str = "syn",
           vary: float = VARY) -> Iterator[tuple[dict, dict]]:
    """n synthetic (article, extraction) pairs; ids are hashes, as the crawler's are. Each pair of
    demo articles is combined once (the generator's cost is not the load's); with `vary`, each
    article's words are then varied (see the module's docstring), the same for the same seed,
    prefix and index."""
    rng = random.Random(seed)
    combined: dict[tuple[int, int], tuple[dict, dict, list]] = {}
    vocab = Vocabulary([a["text"] for a, _ in base]) if vary else None
    for i in range(n):
        pair = (rng.randrange(len(base)), rng.randrange(len(base)))
        if pair not in combined:
            art, ext = combine(base[pair[0]], base[pair[1]])
            combined[pair] = (art, ext, replaceable(art["text"], ext) if vary else [])
        art, ext, spots = combined[pair]
        doc_id = hashlib.sha1(f"{prefix}:{i}".encode()).hexdigest()[:16]
        url = f"{art['url']}?{prefix}={i}"
        if vary:
            text = vary_text(art["text"], spots, vocab, random.Random(f"{seed}:{prefix}:{i}"), vary)
            practices = [{**p, "text": text[p["start"]:p["end"]]} for p in ext.get("practices", [])]
            yield ({**art, "text": text, "doc_id": doc_id, "url": url, "canonical_url": url},
                   {**ext, "practices": practices, "doc_id": doc_id})
        else:
            yield {**art, "doc_id": doc_id, "url": url, "canonical_url": url}, {**ext, "doc_id": doc_id}


def demo_pairs(work: Path) -> list[tuple[dict, dict]]:
    """(article, extraction) pairs of the demo crawl in `work` (articles.jsonl + extractions.jsonl)."""
    exts = {e["doc_id"]: e for e in read_jsonl(work / "extractions.jsonl")}
    return [(a, exts[a["doc_id"]]) for a in read_jsonl(work / "articles.jsonl") if a["doc_id"] in exts
            and not a.get("duplicate_of")]


class Timed:
    """An iterator that adds up the time spent producing its items (`seconds`), so a benchmark
    can leave the synthetic corpus's own making out of the rate it reports."""

    def __init__(self, items):
        self.items = iter(items)
        self.seconds = 0.0

    def __iter__(self):
        return self

    def __next__(self):
        t = time.perf_counter()
        try:
            return next(self.items)
        finally:
            self.seconds += time.perf_counter() - t
