"""Party bodies (ORG), places (LOC) and persons: one left-to-right scan over tokens,
then province resolution (own name → nearby mentions → the article's main province)."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from nlp import gazetteer
from nlp.gazetteer import (Toks, choose_province, levels_table, pairs_of, provinces_table,
                           tokenize)
from nlp.orgs import heads, org_at
from nlp.places import Match, bare_district, bare_province, enumerated, level_loc, surnames

_CONTEXT_CHARS = 120


def _cap_run(t: Toks, i: int, limit: int) -> int:
    j = i
    while j < len(t) and j - i < limit and t.cap_word(j) and (j == i or t.joined(j)):
        j += 1
    return j


def _not_place(t: Toks, i: int, j: int) -> bool:
    """Not exactly a province name ('Hà Nam', 'Cao Bằng' start with family names)."""
    return not any(end == j for end, _ in provinces_table().matches(t, i))


def person_at(t: Toks, i: int) -> Match | None:
    """'Nguyễn Văn An': a known family name followed by 1–3 capitalised syllables, not
    inside a longer capitalised run and not a province name ('Hà Nam')."""
    if not t.cap_word(i) or t.keys[i] not in surnames():
        return None
    if t.joined(i) and t.cap_word(i - 1) and not t.sentence_initial(i - 1):
        return None
    j = _cap_run(t, i, 4)
    return Match(i, j, "PERSON") if j - i >= 2 and _not_place(t, i, j) else None


@lru_cache(maxsize=1)
def starters() -> frozenset[str]:
    """Keys that can start an ORG, a level-word LOC, a bare province or a person."""
    return heads().starters() | levels_table().starters() | provinces_table().starters() | \
        surnames()


def scan(t: Toks) -> list[Match]:
    """ORG first (longest body), then places, then persons; no overlaps."""
    out, i, first, keys = [], 0, starters(), t.keys
    while i < len(keys):
        if keys[i] not in first:
            i += 1
            continue
        m = org_at(t, i) or level_loc(t, i) or bare_province(t, i) or person_at(t, i)
        if m:
            out.append(m)
            i = m.end
        else:
            i += 1
    return out


def own_pairs(m: Match) -> set:
    """Candidate (province, province_2025) pairs from the match's own place names."""
    sets = [pairs_of(rows) for rows in m.refs if rows]
    if not sets:
        return set()
    provs = set.intersection(*[{p for p, _ in s} for s in sets])
    return {pr for s in sets for pr in s if pr[0] in provs} if len(sets) > 1 else sets[0]


def _post_merger(m: Match) -> bool:
    """The match names a ward/commune that exists only in the 2025 gazetteer."""
    return any(rows and all(r["era"] == "2025" for r in rows) for rows in m.refs)


@lru_cache(maxsize=4096)
def post_merger(name: str) -> bool:
    """``name`` mentions a unit that exists only after the 2025 merger."""
    return any(_post_merger(m) for m in scan(tokenize(name)))


def place_pairs(name: str) -> list[set]:
    """Candidate pairs for each place/body mentioned in ``name`` (used by province_of)."""
    return [own_pairs(m) for m in scan(tokenize(name)) if m.label in ("ORG", "LOC")]


def _norm(t: Toks, m: Match) -> str:
    if not m.pieces:
        return t.surface(m.start, m.end)
    parts = []
    for a, b, canon in m.pieces:
        s = canon if canon is not None else t.surface(a, b)
        parts.append(s[:1].upper() + s[1:] if canon is None and m.label == "ORG" else s)
    return " ".join(p for p in parts if p)


def _context(t: Toks, m: Match, resolved: list[tuple[Match, str]]) -> list[str]:
    """Provinces of resolved mentions near ``m`` on the same line, nearest first."""
    s, e = t.starts[m.start], t.ends[m.end - 1]
    near = []
    for other, prov in resolved:
        os_, oe = t.starts[other.start], t.ends[other.end - 1]
        gap = os_ - e if os_ >= e else s - oe
        if 0 <= gap <= _CONTEXT_CHARS and "\n" not in t.text[min(e, oe):max(s, os_)]:
            near.append((gap, prov))
    return [p for _, p in sorted(near)]


def _to_dict(t: Toks, m: Match, prov: tuple[str | None, str | None]) -> dict:
    s, e = t.starts[m.start], t.ends[m.end - 1]
    d = {"label": m.label, "text": t.text[s:e], "start": s, "end": e, "norm": _norm(t, m)}
    if m.label in ("ORG", "LOC"):
        d["province"], d["province_2025"] = prov
    if m.label == "LOC":
        d["level"] = m.level or "other"
    return d


def _resolve(t: Toks, matches: list[Match], main: str | None) -> list[tuple]:
    """(province, province_2025) for every match."""
    own = [own_pairs(m) for m in matches]
    first = [choose_province(p, [], None) if p else (None, None) for p in own]
    resolved = [(m, f[0]) for m, f in zip(matches, first) if f[0]]
    out = []
    for m, pairs, f in zip(matches, own, first):
        if f[0] or (pairs and f[1] and len({p for p, _ in pairs if p}) <= 1):
            out.append(f)
        elif pairs:
            out.append(choose_province(pairs, _context(t, m, resolved), main))
        elif m.label == "ORG" and m.scope == "local" and main:
            out.append((main, gazetteer.merged_province(main)))
        else:
            out.append((None, None))
    return out


def _covered(matches: list[Match], n: int) -> list[bool]:
    """Tokens inside an ORG or LOC (a PERSON may yet turn out to be a district)."""
    cov = [False] * n
    for m in matches:
        if m.label != "PERSON":
            for k in range(m.start, m.end):
                cov[k] = True
    return cov


def _districts(t: Toks, matches: list[Match], main: str) -> list[Match]:
    """Add bare district names of the main province ('Thường Tín', 'Lục Ngạn') in tokens no
    ORG/LOC covers; a PERSON match with exactly that span gives way."""
    cov, found, i = _covered(matches, len(t)), [], 0
    while i < len(t):
        m = None if cov[i] else bare_district(t, i, main)
        if m and not any(cov[m.start:m.end]):
            found.append(m)
            i = m.end
        else:
            i += 1
    spans = {(m.start, m.end) for m in found}
    starts = {k for m in found for k in range(m.start, m.end)}
    kept = [m for m in matches if not (m.label == "PERSON" and
                                       ((m.start, m.end) in spans or m.start in starts))]
    return sorted(kept + found, key=lambda m: m.start)


def find_entities(text: str) -> list[dict]:
    """Contract entity dicts sorted by start: label ORG/LOC/PERSON, text, start, end, norm;
    ORG/LOC also `province` (pre-merger name) and `province_2025`; LOC also `level`."""
    if not isinstance(text, str) or not text.strip():
        return []
    t = tokenize(text)
    matches = scan(t)
    pass1 = [_to_dict(t, m, (None, None)) for m in matches]
    main = main_province(text, pass1)
    if main:
        matches = _districts(t, matches, main)
    matches = _with_enumerations(t, matches)
    provs = _resolve(t, matches, main)
    return [_to_dict(t, m, p) for m, p in zip(matches, provs)]


def _with_enumerations(t: Toks, matches: list[Match]) -> list[Match]:
    """Add the places listed after a level-word place ('các xã A, B và C')."""
    taken = _covered(matches, len(t))
    extra = [e for m in matches for e in enumerated(t, m, taken)]
    return sorted(matches + extra, key=lambda m: m.start) if extra else matches


# ------------------------------------------------------------------ provinces of names and articles
@lru_cache(maxsize=4096)
def province_of(name: str) -> tuple[str | None, str | None]:
    """(province as named before the 2025 merger, province after it) for a place or body name,
    e.g. 'huyện Tân Yên' → ('Bắc Giang', 'Bắc Ninh'); (None, None) when unknown or ambiguous."""
    if not isinstance(name, str) or not name.strip():
        return (None, None)
    sets = [s for s in place_pairs(name) if s]
    if not sets:
        return (None, None)
    common = set.intersection(*[{p for p, _ in s} for s in sets]) - {None}
    if len(common) == 1:
        p = common.pop()
        return p, gazetteer.merged_province(p)
    return gazetteer.choose_province(set().union(*sets), [], None) if len(sets) == 1 else (None, None)


def _title_end(text: str) -> int:
    stripped = text.lstrip()
    first = stripped.split("\n", 1)[0]
    return len(text) - len(stripped) + len(first)


def main_province(text: str, entities: list[dict]) -> str | None:
    """The province/centrally-run city an article is mainly about, from mentions in the title
    (weight 3), the first 500 characters (2) and the rest (1). Named as before the 2025 merger,
    unless the article names units that exist only after it ('xã Kế Sách' as a commune):
    then as after it ('Cần Thơ')."""
    if not text or not entities:
        return None
    named = [e for e in entities if e.get("label") in ("ORG", "LOC")]
    after = any(post_merger(e.get("text", "")) for e in named)
    title_end = _title_end(text)
    score: Counter = Counter()
    first: dict[str, int] = {}
    for e in named:
        p = province_of(e.get("text", ""))[1 if after else 0]
        if p:
            start = e.get("start", 0)
            score[p] += 3 if start < title_end else 2 if start < 500 else 1
            first.setdefault(p, start)
    if not score:
        return None
    return max(score, key=lambda p: (score[p], -first[p]))
