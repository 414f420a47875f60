"""Administrative units and the 2025 merger: tokens, phrase tables and province lookups.

Data: ``data/reference/places.csv`` (built by ``scripts/build_gazetteer.py``),
``place_extras.csv`` (dissolved units), ``place_aliases.csv`` (TP.HCM, Huế, ...) and
``place_levels.csv`` (tỉnh, huyện, phường, TP., ...). Everything is loaded once.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache

from nlp.resources import reference_path
from nlp.text import lookup_key, tone_norm

_TOKEN = re.compile(r"\w+|[^\w\s]")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-"})
_DASH_CHARS = frozenset("\u2013\u2014\u2010\u2011")
_SENT_PUNCT = frozenset(".!?:;\"“”'‘’(-…")


@dataclass
class Toks:
    """Word/punctuation tokens of a text: offsets, lookup keys, capitalisation, line breaks."""
    text: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    caps: list[bool] = field(default_factory=list)
    words: list[bool] = field(default_factory=list)
    breaks: list[bool] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.keys)

    def joined(self, i: int) -> bool:
        """Token i continues the previous one on the same line."""
        return 0 < i < len(self.keys) and not self.breaks[i]

    def cap_word(self, i: int) -> bool:
        return 0 <= i < len(self.keys) and self.caps[i] and self.words[i]

    def sentence_initial(self, i: int) -> bool:
        return i == 0 or self.breaks[i] or self.keys[i - 1] in _SENT_PUNCT

    def surface(self, a: int, b: int) -> str:
        """Text of tokens a..b-1, whitespace collapsed, tone marks placed one way."""
        return re.sub(r"\s+", " ", tone_norm(self.text[self.starts[a]:self.ends[b - 1]]))


def tokenize(text: str) -> Toks:
    """Tokens of ``text``; keys are lower-case with standard tone placement."""
    low = tone_norm(text).lower()
    if len(low) != len(text):
        low = None
    found = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    t = Toks(text)
    t.starts = [s for s, _, _ in found]
    t.ends = [e for _, e, _ in found]
    keys = [low[s:e] for s, e, _ in found] if low else [lookup_key(r) for _, _, r in found]
    t.keys = [k.translate(_DASHES) if k in _DASH_CHARS else k for k in keys]
    t.caps = [r[0].isupper() for _, _, r in found]
    t.words = [r[0].isalpha() for _, _, r in found]
    prev_ends = [0] + t.ends[:-1]
    t.breaks = ["\n" in text[pe:s] for pe, s in zip(prev_ends, t.starts)]
    return t


def phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(tokenize(phrase).keys)


class PhraseTable:
    """Token-tuple → payloads, matched longest-first at a token position."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, ...], list] = {}
        self.maxlen: dict[str, int] = {}

    def add(self, phrase: str, payload) -> None:
        key = phrase_key(phrase)
        if key:
            self.entries.setdefault(key, []).append(payload)
            self.maxlen[key[0]] = max(self.maxlen.get(key[0], 0), len(key))

    def matches(self, t: Toks, i: int):
        """(end, payloads) for every phrase starting at token i, longest first."""
        keys = t.keys
        n = self.maxlen.get(keys[i], 0) if i < len(keys) else 0
        if not n:
            return
        breaks = t.breaks
        for ln in range(min(n, len(keys) - i), 0, -1):
            if ln > 1 and True in breaks[i + 1:i + ln]:
                continue
            hit = self.entries.get(tuple(keys[i:i + ln]))
            if hit:
                yield i + ln, hit

    def match(self, t: Toks, i: int):
        if i >= len(t.keys) or t.keys[i] not in self.maxlen:
            return None
        return next(self.matches(t, i), None)

    def starters(self) -> frozenset[str]:
        """Keys a phrase can start with."""
        return frozenset(self.maxlen)


def _read_csv(name: str) -> list[dict]:
    with reference_path(name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def place_rows() -> list[dict]:
    """Gazetteer rows (places.csv + place_extras.csv) plus province-level aliases."""
    rows = _read_csv("places.csv") + _read_csv("place_extras.csv")
    for a in _read_csv("place_aliases.csv"):
        p = a["province"]
        rows.append({"name": a["alias"], "canon": a["canon"], "type": "", "level": a["level"],
                     "province": p, "province_2025": merged_province(p) or "" if p else "",
                     "district": "", "era": "alias", "emit": a["emit"]})
    return rows


@lru_cache(maxsize=1)
def places_table() -> PhraseTable:
    """Every place name (all levels) → its rows."""
    tab = PhraseTable()
    for r in place_rows():
        tab.add(r["name"], r)
    return tab


@lru_cache(maxsize=1)
def provinces_table() -> PhraseTable:
    """Province names and aliases, for bare mentions ('Hà Nội', 'TP.HCM'); names an alias
    row mutes (emit 0: 'Hồ Chí Minh' alone is the person, 'Thủ đô') are left out."""
    rows = [r for r in place_rows() if r["level"] in ("province", "other")]
    muted = {phrase_key(r["name"]) for r in rows if r.get("emit") == "0"}
    tab = PhraseTable()
    for r in rows:
        if phrase_key(r["name"]) not in muted:
            tab.add(r["name"], r)
    return tab


@lru_cache(maxsize=1)
def levels_table() -> PhraseTable:
    """Level words: tỉnh, thành phố, TP., huyện, phường, xã, thôn, ..."""
    tab = PhraseTable()
    for r in _read_csv("place_levels.csv"):
        tab.add(r["phrase"], r)
    return tab


@lru_cache(maxsize=1)
def _province_index() -> dict[str, dict]:
    """lookup key of a province name, full name or alias → pre-merger province row."""
    out: dict[str, dict] = {}
    for r in _read_csv("places.csv") + _read_csv("place_extras.csv"):
        if r["level"] == "province":
            for name in (r["name"], f"{r['type']} {r['name']}"):
                out[lookup_key(name)] = r
    for a in _read_csv("place_aliases.csv"):
        if a["province"] and lookup_key(a["province"]) in out:
            out.setdefault(lookup_key(a["alias"]), out[lookup_key(a["province"])])
    return out


def merged_province(province: str) -> str | None:
    """The province after the 2025 merger: 'Bắc Giang' → 'Bắc Ninh'; None when unknown."""
    r = _province_index().get(lookup_key(province or ""))
    return r["province_2025"] if r else None


def pre_merger_name(province: str) -> str | None:
    """Canonical pre-merger short name of a province name or alias ('TP.HCM' → 'Hồ Chí Minh')."""
    r = _province_index().get(lookup_key(province or ""))
    return r["province"] if r else None


def province_names() -> list[dict]:
    """Rows {province, province_2025, aliases} for the 63 pre-merger provinces; aliases are
    other spellings ('Tỉnh Bắc Giang', 'TP.HCM', 'Huế') for the knowledge base's filters."""
    aliases: dict[str, set[str]] = {}
    for a in _read_csv("place_aliases.csv"):
        if a["province"]:
            aliases.setdefault(a["province"], set()).add(a["alias"])
    out = []
    for r in _read_csv("places.csv") + _read_csv("place_extras.csv"):
        if r["level"] == "province":
            names = aliases.get(r["province"], set()) | {f"{r['type']} {r['name']}"}
            out.append({"province": r["province"], "province_2025": r["province_2025"],
                        "aliases": sorted(names - {r["province"]})})
    return out


def pairs_of(rows: list[dict]) -> set[tuple[str | None, str | None]]:
    """(pre-merger province, province after 2025) for each gazetteer row."""
    out = set()
    for r in rows:
        p25 = r.get("province_2025") or None
        provs = [p for p in (r.get("province") or "").split("|") if p] or [None]
        out.update((p, p25) for p in provs)
    return out


def choose_province(pairs: set, context: list[str], main: str | None) -> tuple[str | None, str | None]:
    """Pick one (province, province_2025) from candidates: unique, else nearby, else main."""
    provs = {p for p, _ in pairs if p}
    pick = None
    if len(provs) == 1:
        pick = next(iter(provs))
    elif provs:
        pick = next((c for c in context if c in provs), main if main in provs else None)
    if pick:
        return pick, merged_province(pick)
    if main and len(provs) > 1:              # a post-merger article: main is a new name
        pairs = {pr for pr in pairs if pr[1] == main} or pairs
        if len({p for p, _ in pairs}) == 1:
            return next(iter(pairs))
    p25 = {q for _, q in pairs if q}
    return None, (next(iter(p25)) if len(p25) == 1 else None)
