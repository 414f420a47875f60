"""Party and state bodies (ORG): [modifiers] head [qualifier], longest name.

'Ban Thường vụ' + 'Tỉnh ủy' + 'Bắc Giang'; 'Đảng ủy' + 'phường Bách Khoa';
'Chi bộ' + 'Trường Tiểu học Lê Văn Tám'; 'UBND' + 'xã Tân Sỏi'; 'Bộ Chính trị'.
Heads and name words are data: ``org_heads.csv``, ``org_name_words.csv``.
"""
from __future__ import annotations

import csv
from functools import lru_cache

from nlp.gazetteer import PhraseTable, Toks, phrase_key, places_table
from nlp.places import LEVEL_SETS, Match, level_at, level_pieces, name_at
from nlp.resources import reference_path

_MEMBER = "viên"                       # 'Đảng ủy viên', 'Tỉnh ủy viên' are people
_NAMED_LEVELS = {"province": {"province"}, "district": {"district"},
                 "province|district": {"province", "district"}}


def _rows(name: str) -> list[dict]:
    with reference_path(name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def heads() -> PhraseTable:
    """Modifiers ('Ban Thường vụ'), committees ('Tỉnh ủy', 'Đảng ủy'), cells, fixed bodies."""
    tab = PhraseTable()
    for r in _rows("org_heads.csv"):
        tab.add(r["phrase"], r)
    return tab


@lru_cache(maxsize=1)
def name_words() -> tuple[frozenset, PhraseTable]:
    """(lower-case second syllables allowed after a capitalised one, connector phrases)."""
    pairs, conn = set(), PhraseTable()
    for r in _rows("org_name_words.csv"):
        key = phrase_key(r["words"])
        if r["kind"] == "compound" and len(key) == 2:
            pairs.add(key)
        elif r["kind"] == "connector":
            conn.add(r["words"], r)
    return frozenset(pairs), conn


def _place_refs(t: Toks, a: int, b: int, levels: set[str]) -> list[list[dict]]:
    """Gazetteer rows when tokens a..b-1 are exactly a place name."""
    for end, rows in places_table().matches(t, a):
        hit = [r for r in rows if r["level"] in levels]
        if end == b and hit:
            return [hit]
    return []


def _level_name(t: Toks, i: int, need_name: bool) -> tuple[int, list, list] | None:
    """Level word [+ name] at i: (end, pieces, refs)."""
    lv = level_at(t, i)
    if not lv:
        return None
    end, info = lv
    nm = name_at(t, end, LEVEL_SETS[info["level"]], typ=info["type"])
    if not nm:
        return None if need_name else (end, [(i, end, info["canon"])], [])
    nend, rows = nm
    return nend, level_pieces(i, end, nend, info, rows), ([rows] if rows else [])


def body_name(t: Toks, k: int) -> tuple[int, list, list] | None:
    """A unit's own name after a head: 'Trường Tiểu học Lê Văn Tám', 'Công an tỉnh',
    'Khối các cơ quan Trung ương'. Capitalised syllables, known compounds, connectors,
    ending at a level word [+ name]."""
    if not (t.joined(k) and t.cap_word(k)):
        return None
    pairs, conn = name_words()
    j, last, refs, tail = k, k, [], []
    while j < len(t) and j - k < 12 and t.joined(j):
        ln = _level_name(t, j, need_name=False) if j > k else None
        if ln:
            last, tail, refs = ln[0], ln[1], ln[2]
            break
        if t.cap_word(j) or t.keys[j].isdigit() or (t.keys[j - 1], t.keys[j]) in pairs:
            j += 1
            last = j
            continue
        c = conn.match(t, j)
        if not c:
            break
        j = c[0]
    if last == k:
        return None
    head_end = tail[0][0] if tail else last
    pieces = [(k, head_end, None)] + tail
    return last, pieces, refs or _place_refs(t, k, last, {"province", "district"})


def _named(t: Toks, end: int, entry: dict) -> tuple[int, list, list]:
    """Tỉnh ủy / Thành ủy / Huyện ủy [+ place name]."""
    ln = _level_name(t, end, need_name=True)
    if ln:
        return ln
    nm = name_at(t, end, _NAMED_LEVELS.get(entry["level"], {"district"}), fallback=False)
    if nm and nm[1]:
        return nm[0], [(end, nm[0], nm[1][0].get("canon") or nm[1][0]["name"])], [nm[1]]
    return end, [], []


def _committee(t: Toks, end: int, entry: dict) -> tuple[int, list, list] | None:
    """Đảng ủy / Đảng bộ + level [name] | 'các' + level | 'các cơ quan (Đảng)' + level [name]
    (the bloc committees formed in 2025: 'Đảng bộ các cơ quan Đảng thành phố') | body name |
    nothing (Đảng ủy only)."""
    if t.keys[end:end + 3] == ["các", "cơ", "quan"] and all(t.joined(k) for k in range(end, end + 3)):
        j, pieces = end + 3, [(end, end + 3, "các cơ quan")]
        if t.keys[j:j + 1] == ["đảng"] and t.joined(j):
            pieces.append((j, j + 1, "Đảng"))
            j += 1
        ln = _level_name(t, j, need_name=False)
        return (ln[0], pieces + ln[1], ln[2]) if ln else (j, pieces, [])
    if t.keys[end:end + 1] == ["các"] and t.joined(end) and (lv := level_at(t, end + 1)):
        return lv[0], [(end, end + 1, "các"), (end + 1, lv[0], lv[1]["canon"])], []
    ln = _level_name(t, end, need_name=False)
    if ln:
        return ln
    bn = body_name(t, end)
    if bn:
        return bn
    return (end, [], []) if entry["bare"] == "1" else None


def _cell(t: Toks, end: int) -> tuple[int, list, list] | None:
    """Chi bộ + 'cơ quan' [...] | level + name | body name (not bare 'Chi bộ Đảng')."""
    if t.keys[end:end + 2] == ["cơ", "quan"] and t.joined(end):
        rest = _level_name(t, end + 2, need_name=False) or body_name(t, end + 2)
        if rest:
            return rest[0], [(end, end + 2, "cơ quan")] + rest[1], rest[2]
        return end + 2, [(end, end + 2, "cơ quan")], []
    ln = _level_name(t, end, need_name=True)
    if ln:
        return ln
    bn = body_name(t, end)
    if bn and t.keys[end:bn[0]] != ["đảng"]:
        return bn
    return None


def _body_place(t: Toks, end: int, entry: dict) -> tuple[int, list, list] | None:
    """UBND / HĐND / MTTQ / Công an [+ level [name]]."""
    ln = _level_name(t, end, need_name=False)
    if ln:
        return ln
    return (end, [], []) if entry["bare"] == "1" else None


def _qualify(t: Toks, end: int, entry: dict) -> tuple[int, list, list] | None:
    if end < len(t) and t.joined(end) and t.keys[end] == _MEMBER:
        return None
    role = entry["role"]
    if role == "named":
        return _named(t, end, entry)
    if role == "committee":
        return _committee(t, end, entry)
    if role == "cell":
        return _cell(t, end)
    if role == "body_place":
        return _body_place(t, end, entry)
    return end, [], []


def _lowercase_ok(entry: dict, pieces: list) -> bool:
    """'chi bộ Trường ...' / 'đảng ủy xã Tân Lập' may start lower-case when a name follows."""
    named = any(p[2] is None for p in pieces) or len(pieces) >= 2
    return entry["role"] in ("cell", "committee") and named


def _skip_acronym(t: Toks, j: int) -> int:
    """Past a bracketed acronym after a modifier: 'Ban Thường vụ (BTV) Thành ủy'."""
    if t.keys[j:j + 1] == ["("] and j + 2 < len(t) and t.keys[j + 2] == ")" and \
            t.text[t.starts[j + 1]:t.ends[j + 1]].isupper():
        return j + 3
    return j


def _mods(t: Toks, i: int) -> tuple[int, list, dict | None]:
    """Leading modifiers ('Ban Thường vụ', 'Ủy ban Kiểm tra'): (next token, pieces, last)."""
    j, pieces, last = i, [], None
    while j < len(t) and (j == i or t.joined(j)):
        m = heads().match(t, j)
        if not m or m[1][0]["role"] != "mod":
            break
        last = m[1][0]
        pieces.append((j, m[0], last["phrase"]))
        j = _skip_acronym(t, m[0])
    return j, pieces, last


def _title_word(t: Toks, i: int) -> bool:
    """'Thường trực' right after 'Bí thư' is part of a title, not the standing committee."""
    return t.keys[i] == "thường" and i >= 2 and t.keys[i - 2:i] == ["bí", "thư"]


def org_at(t: Toks, i: int) -> Match | None:
    """The longest party/state body starting at token i, or None."""
    if _title_word(t, i):
        return None
    j, mods, last = _mods(t, i)
    m = heads().match(t, j) if j < len(t) and (j == i or t.joined(j)) else None
    if m and m[1][0]["role"] != "mod":
        end, entry = m[0], m[1][0]
        q = _qualify(t, end, entry)
        if q is None:
            return None
        qend, pieces, refs = q
        if not t.caps[i] and (mods or not _lowercase_ok(entry, pieces)):
            return None
        return Match(i, qend, "ORG", None, mods + [(j, end, entry["phrase"])] + pieces, refs,
                     entry["scope"])
    if not mods or not t.caps[i]:
        return None
    if t.keys[j:j + 2] == ["trung", "ương"] and t.joined(j):
        return Match(i, j + 2, "ORG", None, mods + [(j, j + 2, "Trung ương")], [], "central")
    if last["bare"] == "1":
        return Match(i, mods[-1][1], "ORG", None, mods, [], "local")
    return None
