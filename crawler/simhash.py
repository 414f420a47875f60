"""64-bit SimHash of cleaned article bodies and near-duplicate clustering."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

_WORD = re.compile(r"\w+")
MASK = (1 << 64) - 1


def _features(text: str, width: int = 3) -> Iterable[str]:
    words = _WORD.findall(text.lower())
    if len(words) < width:
        return words
    return (" ".join(words[i:i + width]) for i in range(len(words) - width + 1))


def simhash(text: str) -> int:
    """SimHash over word 3-shingles (blake2b-64 per shingle); 0 for empty text."""
    import numpy as np

    digests = b"".join(hashlib.blake2b(f.encode("utf-8"), digest_size=8).digest()
                       for f in _features(text))
    if not digests:
        return 0
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8), axis=1)
    ones = bits.sum(axis=0, dtype=np.int64)
    value = 0
    for bit, n in enumerate(ones.tolist()):  # bit 0 = most significant
        if 2 * n > len(bits):
            value |= 1 << (63 - bit)
    return value


def distance(a: int | str, b: int | str) -> int:
    """Hamming distance between two simhashes (ints or decimal strings)."""
    return bin((int(a) ^ int(b)) & MASK).count("1")


def near(a: int | str | None, b: int | str | None, threshold: int = 6) -> bool:
    """True when both hashes exist, are non-zero and within `threshold` bits."""
    if a in (None, "", 0, "0") or b in (None, "", 0, "0"):
        return False
    return distance(a, b) <= threshold


def _sort_key(rec: dict) -> tuple:
    return (rec.get("published") is None, rec.get("published") or "", rec.get("fetched_at") or "",
            rec.get("url") or "")


def resolve_clusters(records: list[dict], seen: dict[str, dict] | None = None,
                     threshold: int = 6) -> dict[str, str]:
    """doc_id → doc_id of its cluster's canonical member (the earliest published).

    A record near a `seen` document points at that document; within the crawl, clusters
    are single-link groups and their earliest-published member is canonical.
    """
    out: dict[str, str] = {}
    seen_items = [(d, s.get("simhash")) for d, s in (seen or {}).items()]
    for rec in records:
        hit = next((d for d, h in seen_items if d != rec["doc_id"] and near(rec.get("simhash"), h, threshold)), None)
        if hit:
            out[rec["doc_id"]] = hit
    rest = sorted((r for r in records if r["doc_id"] not in out), key=_sort_key)
    canon: list[dict] = []
    for rec in rest:
        head = next((c for c in canon if near(rec.get("simhash"), c.get("simhash"), threshold)), None)
        if head is None:
            canon.append(rec)
        else:
            out[rec["doc_id"]] = head["doc_id"]
    return out
