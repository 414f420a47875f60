"""Place mentions (LOC): level word + name ('phường Bách Khoa', 'TP. Hồ Chí Minh'),
bare province names ('Hà Nội', 'TP.HCM') and, given the article's province, bare district names."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from nlp.gazetteer import Toks, levels_table, places_table, provinces_table
from nlp.resources import reference_path
from nlp.text import lookup_key

# which gazetteer levels a level word can name
LEVEL_SETS = {"province": {"province"}, "city": {"province", "district"},
              "district": {"district"}, "ward": {"ward"}, "village": set()}
_NO_LOC_BEFORE = {"tác", "hợp"}          # 'hợp tác xã X' is a cooperative, not a commune
# (word before, level word): not a place: 'văn bản số 4912' is a document, not village 'bản'
_NO_LEVEL_AFTER = {("văn", "bản")}
# (level word, name, next word): a common noun, not a place: 'khu vực Nhà nước' (the state sector)
_COMMON_NOUNS = {("khu vực", "nhà", "nước")}


@dataclass
class Match:
    """A recognised span in token units, with norm pieces and gazetteer rows of its places."""
    start: int
    end: int
    label: str
    level: str | None = None
    pieces: list[tuple[int, int, str | None]] = field(default_factory=list)
    refs: list[list[dict]] = field(default_factory=list)
    scope: str = "local"


def read_lines(name: str) -> list[str]:
    """Non-comment lines of a reference text file."""
    lines = reference_path(name).read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.startswith("#")]


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Lookup keys of common family names (a place name does not start with one)."""
    return frozenset(lookup_key(x) for x in read_lines("surnames.txt"))


def level_at(t: Toks, i: int) -> tuple[int, dict] | None:
    """A level word at token i: (end, {level, canon})."""
    m = levels_table().match(t, i)
    if not m:
        return None
    end, rows = m
    if rows[0]["phrase"] == "TP" and end < len(t) and t.keys[end] == ".":
        end += 1
    return end, rows[0]


def _cap_run(t: Toks, i: int, limit: int) -> int:
    """End of a run of capitalised syllables (a trailing number allowed: 'Nhơn Lộc 1')."""
    j = i
    while j < len(t) and j - i < limit and t.cap_word(j) and (j == i or t.joined(j)):
        j += 1
    if j > i and j < len(t) and t.joined(j) and t.keys[j].isdigit():
        j += 1
    return j


def name_at(t: Toks, i: int, levels: set[str], fallback: bool = True,
            typ: str = "") -> tuple[int, list[dict]] | None:
    """A place name at token i: longest gazetteer name of one of ``levels`` (case-insensitive
    after a capitalised first syllable; rows of type ``typ`` preferred: 'xã Kế Sách' is the
    2025 commune, not the old town), else a number or a short capitalised run."""
    if i >= len(t) or not t.joined(i):
        return None
    if t.keys[i] == "số" and i + 1 < len(t) and t.keys[i + 1].isdigit():
        return i + 2, []
    if not (t.caps[i] or t.keys[i].isdigit()):
        return None
    for end, rows in places_table().matches(t, i):
        hit = _city_rows(rows) if levels == LEVEL_SETS["city"] else \
            [r for r in rows if r["level"] in levels]
        hit = [r for r in hit if r["type"] == typ] or hit if typ else hit
        if hit:
            return end, hit
    if t.keys[i].isdigit():
        return i + 1, []
    if not _may_guess(t, i, levels, fallback):
        return None
    j = _cap_run(t, i, 3)
    return (j, []) if j > i else None


def _may_guess(t: Toks, i: int, levels: set[str], fallback: bool) -> bool:
    """Unknown names are accepted for wards/villages (new or renamed units); never for
    provinces (all known); for districts unless a person's name may follow ('UBND huyện Lê...')."""
    if not fallback or levels == {"province"}:
        return False
    return not (levels & {"province", "district"} and t.keys[i] in surnames())


def _city_rows(rows: list[dict]) -> list[dict]:
    """'thành phố X': a city district ('Thành phố Nam Định') before a province of that name,
    unless the province is itself a city ('thành phố Hà Nội')."""
    cities = [r for r in rows if r["level"] == "district" and r["type"] == "Thành phố"]
    provs = [r for r in rows if r["level"] == "province"]
    big = [r for r in provs if r["type"] == "Thành phố"]
    return big or cities or provs


def _loc_level(word_level: str, rows: list[dict]) -> str:
    if word_level == "city":
        levels = {r["level"] for r in rows}
        return "province" if "province" in levels else "district" if rows else "other"
    return word_level


def level_loc(t: Toks, i: int) -> Match | None:
    """'huyện Lục Ngạn', 'TP. Hồ Chí Minh', 'phường 12', 'thôn Đông'."""
    lv = level_at(t, i)
    if not lv or (i > 0 and t.keys[i - 1] in _NO_LOC_BEFORE and lv[1]["level"] == "ward"):
        return None
    end, info = lv
    if i > 0 and (t.keys[i - 1], t.keys[i]) in _NO_LEVEL_AFTER:
        return None
    nm = name_at(t, end, LEVEL_SETS[info["level"]], typ=info["type"])
    if not nm:
        return None
    nend, rows = nm
    level_word, name = " ".join(t.keys[i:end]), " ".join(t.keys[end:nend])
    if nend < len(t) and (level_word, name, t.keys[nend]) in _COMMON_NOUNS:
        return None
    return Match(i, nend, "LOC", _loc_level(info["level"], rows),
                 level_pieces(i, end, nend, info, rows), [rows] if rows else [])


def level_pieces(i: int, end: int, nend: int, info: dict, rows: list[dict]) -> list[tuple]:
    """Norm pieces of 'level word + name'; an alias already spelled out ('TP.HCM' →
    'Thành phố Hồ Chí Minh') is not prefixed twice."""
    canon = (rows[0].get("canon") or rows[0]["name"]) if rows else None
    if canon and canon.lower().startswith(info["canon"].lower() + " "):
        return [(i, nend, canon)]
    return [(i, end, info["canon"]), (end, nend, canon)]


def isolated(t: Toks, i: int, j: int) -> bool:
    """Tokens i..j-1 are not part of a longer capitalised run."""
    before = not t.joined(i) or not t.cap_word(i - 1) or t.sentence_initial(i - 1)
    after = j >= len(t) or not t.joined(j) or not t.cap_word(j)
    return before and after


def _shouted(t: Toks, i: int, j: int) -> bool:
    """Tokens i..j-1 and the word after them are written in capitals (a headline)."""
    k = min(j + 1, len(t))
    return all(t.text[t.starts[x]:t.ends[x]].isupper() for x in range(i, k) if t.words[x]) and k > j


def enumerated(t: Toks, m: Match, taken: list[bool]) -> list[Match]:
    """Places listed after a level-word place: 'các xã Chiềng Châu, Nà Phòn, Tòng Đậu' gives
    'Nà Phòn' and 'Tòng Đậu' too (gazetteer names of the same level only, nothing guessed)."""
    if m.label != "LOC" or m.level not in LEVEL_SETS or m.level in ("province", "village"):
        return []
    out, pos = [], m.end
    while pos + 1 < len(t) and t.keys[pos] in (",", "và") and not taken[pos + 1]:
        nm = name_at(t, pos + 1, LEVEL_SETS[m.level], fallback=False)
        if not nm or not nm[1] or any(taken[pos + 1:nm[0]]):
            break
        out.append(Match(pos + 1, nm[0], "LOC", m.level, [(pos + 1, nm[0], None)], [nm[1]]))
        pos = nm[0]
    return out


def bare_province(t: Toks, i: int) -> Match | None:
    """'Hà Nội', 'Bắc Giang', 'TP.HCM', 'Việt Nam' standing alone."""
    if not t.caps[i]:
        return None
    m = provinces_table().match(t, i)
    if not m:
        return None
    end, rows = m
    if not all(t.caps[k] or not t.words[k] for k in range(i, end)):
        return None
    if not isolated(t, i, end) and not (t.sentence_initial(i) and _shouted(t, i, end)):
        return None        # 'SƠN LA BIỂU DƯƠNG ...': an upper-case headline opening with a province
    row = rows[0]
    level = "other" if row["level"] == "other" else "province"
    refs = [rows] if row.get("province") else []
    return Match(i, end, "LOC", level, [(i, end, row.get("canon") or row["name"])], refs)


def bare_district(t: Toks, i: int, province: str) -> Match | None:
    """A district of the article's province named without its level word ('Thường Tín')."""
    if not t.caps[i] or t.keys[i].isdigit():
        return None
    for end, rows in places_table().matches(t, i):
        hit = [r for r in rows if r["level"] == "district" and r["province"] == province]
        if hit and all(t.cap_word(k) for k in range(i, end)) and isolated(t, i, end):
            return Match(i, end, "LOC", "district", [(i, end, hit[0]["name"])], [hit])
    return None
