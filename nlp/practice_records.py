"""Practice records: who adopted a practice, where, to carry out which documents, with what
result and when.

``describe_practices`` is pure: it reads the text and the other extractions of the same text
(entities, directives, metrics) and returns each practice with added fields

- ``actor``: the party body that adopted it, ``{"text", "start", "end", "norm"}`` of an ORG
  entity: the first local body named in the passage, else the nearest one before it in its
  paragraph; central bodies (Bộ Chính trị, Ban Bí thư, ... Trung ương) issue documents and are
  never actors; null when none.
- ``place``: the finest place the passage, its actor or its paragraph names,
  ``{"name", "level": commune|district|province, "province", "province_2025"}``, ``province``
  named as when the article appeared (after the 2025 merger the merged province, the former one
  then kept as ``province_before_2025``); the article's province at level province when the text
  names none; null without any.
- ``documents``: keys of the directives named in the passage or its paragraph.
- ``outcome``: the metrics inside the passage or in the sentence right after it that states its
  result (``Nhờ đó, ...``), ``{"text", "start", "end", "value", "unit", "indicator"}``.
- ``time``: a year or period stated in the passage (``"2023"``, ``"2020-2025"``), else the
  published year, else null.

``text``, ``start``, ``end``, ``category`` (and any other field) of a practice are kept.
"""
from __future__ import annotations

import re
import unicodedata

LEVELS = ("commune", "district", "province")
_RANK = {"commune": 0, "district": 1, "province": 2}

# Central bodies issue what localities carry out; they are not the actor of a local practice.
_CENTRAL = re.compile(r"trung ương|\bTW\b|bộ chính trị|ban bí thư|quốc hội|chính phủ|ban chấp hành trung",
                      re.IGNORECASE)

# place part of a body or place name, finest first: (pattern, level, how to name the place)
_NAME_PATTERNS = (
    (re.compile(r"\b(xã|phường|thị trấn|đặc khu)\s+(.+)$", re.IGNORECASE), "commune", "{0} {1}"),
    (re.compile(r"\b(Đảng ủy|Đảng bộ|Chi bộ)\s+(xã|phường|thị trấn|đặc khu)\s+(.+)$", re.IGNORECASE),
     "commune", "{1} {2}"),
    (re.compile(r"\b(huyện|quận|thị xã)\s+(.+)$", re.IGNORECASE), "district", "{0} {1}"),
    (re.compile(r"\b(Huyện ủy|Quận ủy|Thị ủy)\s+(.+)$", re.IGNORECASE), "district", None),
    (re.compile(r"\b(Thành ủy|thành phố|TP\.?)\s+(.+)$", re.IGNORECASE), "city", None),
    (re.compile(r"\b(Tỉnh ủy|tỉnh)\s+(.+)$", re.IGNORECASE), "province", "{1}"),
)
_BODY_DISTRICT = {"huyện ủy": "huyện", "quận ủy": "quận", "thị ủy": "thị xã"}
_LOC_LEVEL = {"ward": "commune", "commune": "commune", "town": "commune", "township": "commune",
              "special": "commune", "district": "district", "county": "district",
              "province": "province", "city": "province"}

_YEAR = r"(?:19[5-9]\d|20\d\d)"
_PERIOD = re.compile(rf"\b({_YEAR})\s*[-–]\s*({_YEAR})\b")
_YEAR_RX = re.compile(rf"(?:năm|tháng\s*\d{{1,2}}\s*[/-]|/|-)\s*({_YEAR})\b|\b({_YEAR})\b", re.IGNORECASE)
_DOC_DATE = re.compile(rf"[\s,]*(?:ban hành\s+)?(?:ngày\s*)?\d{{1,2}}\s*[/-]\s*\d{{1,2}}\s*[/-]\s*{_YEAR}"
                       rf"|[\s,]*(?:\(khóa [IVXL]+\)|khóa [IVXL]+)", re.IGNORECASE)
# a sentence right after the passage that states its result (its figures are the outcome too)
_OUTCOME_LEAD = re.compile(r"\s*(?:Nhờ (?:đó|vậy|thế)|Qua đó|Kết quả|Từ đó|Đến nay|Sau \S+ (?:năm|tháng)"
                           r"(?: thực hiện| triển khai| áp dụng)?)\b[^.!?\n]*[.!?]?")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s or "")


def _fold_case(s: str) -> str:
    return _nfc(s).lower().replace("uỷ", "ủy")


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the paragraph (text between newlines) holding [start, end)."""
    a = text.rfind("\n", 0, max(0, start)) + 1
    b = text.find("\n", max(start, end))
    return a, len(text) if b < 0 else b


def _inside(item: dict, a: int, b: int) -> bool:
    s, e = item.get("start"), item.get("end")
    return isinstance(s, int) and isinstance(e, int) and a <= s and e <= b


def _local_body(e: dict) -> bool:
    return e.get("label") == "ORG" and isinstance(e.get("start"), int) and isinstance(e.get("end"), int) \
        and not _CENTRAL.search(_nfc(e.get("norm") or e.get("text") or ""))


# an ORG named as a document's issuer ('Kế hoạch ... của Tỉnh ủy') or as where others act ('các
# chi bộ trong toàn Đảng bộ tỉnh') is not who acts
_NOT_ACTING = re.compile(r"(?:\b(?:của|do)|\btrong(?: toàn)?|\btoàn|\bthuộc|\btrực thuộc)\s+$", re.IGNORECASE)


def _acting(e: dict, text: str) -> bool:
    return not _NOT_ACTING.search(text[max(0, e["start"] - 15):e["start"]])


def _fuller_name(best: dict, orgs: list[dict]) -> str:
    """A short mention ('Ủy ban Kiểm tra Tỉnh ủy') takes the fuller name the article gave the
    same body earlier ('Ủy ban Kiểm tra Tỉnh ủy Gia Lai')."""
    name = best.get("norm") or best.get("text") or ""
    for e in orgs:
        if e["start"] >= best["start"]:
            break
        other = e.get("norm") or e.get("text") or ""
        if other.startswith(name + " ") and len(other.split()) <= len(name.split()) + 4:
            return other
    return name


def find_actor(practice: dict, entities: list[dict], text: str) -> dict | None:
    """The first local ORG acting in the passage (not a document's issuer, not where others
    act), else the nearest one ending before it in its paragraph; as {text, start, end, norm},
    ``norm`` the fuller name the article gave the body earlier."""
    start, end = practice["start"], practice["end"]
    orgs = sorted((e for e in entities or [] if isinstance(e, dict) and _local_body(e)),
                  key=lambda e: (e["start"], -e["end"]))
    inside = [e for e in orgs if start <= e["start"] and e["end"] <= end]
    acting = [e for e in inside if _acting(e, text)]
    if acting:
        best = acting[0]
    else:
        a, _ = _paragraph(text, start, end)
        before = [e for e in orgs if a <= e["start"] and e["end"] <= start and _acting(e, text)]
        if not before and not inside:
            return None
        best = before[-1] if before else inside[0]
    return {"text": best.get("text") or text[best["start"]:best["end"]], "start": best["start"],
            "end": best["end"], "norm": _fuller_name(best, orgs)}


def _provinces_of(name: str, entity: dict | None, doc_province: str | None) -> tuple[str | None, str | None]:
    """(province before, after the 2025 merger) of a named place: the entity's fields, else the
    gazetteer, else the article's province."""
    if entity and entity.get("province"):
        p = entity["province"]
        return p, entity.get("province_2025") or _merged(p)
    try:
        from nlp.entities import province_of
        p, p25 = province_of(name)
    except Exception:  # noqa: BLE001 - the gazetteer is optional for a pure record
        p, p25 = None, None
    if p:
        return p, p25 or _merged(p)
    if doc_province:
        return doc_province, _merged(doc_province) or doc_province
    return None, None


def _merged(province: str | None) -> str | None:
    if not province:
        return None
    try:
        from nlp.gazetteer import merged_province
        return merged_province(province)
    except Exception:  # noqa: BLE001
        return None


def _is_province(name: str) -> bool:
    try:
        from nlp.gazetteer import pre_merger_name
        return pre_merger_name(name) is not None
    except Exception:  # noqa: BLE001
        return False


def place_of_name(name: str) -> tuple[str, str] | None:
    """(place name, level) a body or place name gives: 'Đảng ủy xã Phong Minh' →
    ('xã Phong Minh', 'commune'), 'Ban Thường vụ Huyện ủy Lục Ngạn' → ('huyện Lục Ngạn',
    'district'), 'Tỉnh ủy Bắc Giang' → ('Bắc Giang', 'province'); None when it names no place."""
    name = _nfc(name).strip()
    for rx, level, fmt in _NAME_PATTERNS:
        m = rx.search(name)
        if not m:
            continue
        rest = m.group(m.lastindex).strip(" ,.")
        if not rest or not rest[0].isupper():
            continue
        if level == "district" and fmt is None:
            return f"{_BODY_DISTRICT.get(_fold_case(m.group(1)), 'huyện')} {rest}", "district"
        if level == "city":
            return (rest, "province") if _is_province(rest) else (f"thành phố {rest}", "district")
        head = m.group(1)
        if fmt == "{0} {1}":
            return f"{head.lower()} {rest}", level
        if fmt == "{1} {2}":
            return f"{m.group(2).lower()} {rest}", level
        return rest, level
    return None


def _loc_level(e: dict) -> str | None:
    lvl = _LOC_LEVEL.get(str(e.get("level") or "").lower())
    if lvl:
        return lvl
    got = place_of_name(e.get("norm") or e.get("text") or "")
    if got:
        return got[1]
    return "province" if _is_province(e.get("norm") or e.get("text") or "") else None


def find_place(practice: dict, actor: dict | None, entities: list[dict], text: str,
               doc_province: str | None) -> dict | None:
    """The finest place named by the passage's LOCs or its actor, else by its paragraph's LOCs
    and ORGs, else the article's province."""
    start, end = practice["start"], practice["end"]
    a, b = _paragraph(text, start, end)
    ents = [e for e in entities or [] if isinstance(e, dict) and isinstance(e.get("start"), int)]

    def candidates(lo: int, hi: int, with_orgs: bool) -> list[tuple[str, str, dict]]:
        out = []
        for e in ents:
            if not _inside(e, lo, hi):
                continue
            if e.get("label") == "LOC":
                lvl = _loc_level(e)
                if lvl:
                    out.append((e.get("norm") or e.get("text"), lvl, e))
            elif with_orgs and _local_body(e):
                got = place_of_name(e.get("norm") or e.get("text") or "")
                if got:
                    out.append((got[0], got[1], e))
        return out

    cands = candidates(start, end, with_orgs=False)
    if actor:
        got = place_of_name(actor.get("norm") or actor.get("text") or "")
        if got:
            ent = next((e for e in ents if e.get("start") == actor["start"] and e.get("end") == actor["end"]), None)
            cands.append((got[0], got[1], ent or {}))
    if not cands:
        cands = candidates(start, end, with_orgs=True) or candidates(a, b, with_orgs=True)
    if cands:
        name, level, ent = min(cands, key=lambda c: (_RANK[c[1]], c[2].get("start", 0)))
        p, p25 = _provinces_of(name, ent, doc_province)
        if level == "province" and not ent.get("province"):
            p = _province_name(name) or p
            p25 = _merged(p) or p25
        return {"name": name, "level": level, "province": p, "province_2025": p25}
    if doc_province:
        return {"name": doc_province, "level": "province", "province": doc_province,
                "province_2025": _merged(doc_province) or doc_province}
    return None


def _new_commune(place: dict | None, doc_province: str | None, published: str | None) -> dict | None:
    """After the 2025 merger a commune named in a province's own article is in that province: new
    communes often take an old district's name that another province's commune had ('xã Phong
    Điền' in Cần Thơ, not the old one in Cà Mau), and the gazetteer knows the old units."""
    if not place or place.get("level") != "commune" or not doc_province:
        return place
    from nlp.localities import after_merger
    if not after_merger(published) or doc_province in (place.get("province"), place.get("province_2025")):
        return place
    return {**place, "province": doc_province, "province_2025": doc_province}


def as_named_then(place: dict | None, published: str | None) -> dict | None:
    """The place with ``province`` as named when the article appeared: after the 2025 merger the
    merged province (the former one kept as ``province_before_2025``), as figures' localities."""
    if not place or not place.get("province_2025") or place["province_2025"] == place.get("province"):
        return place
    from nlp.localities import after_merger
    if not after_merger(published):
        return place
    return {**place, "province": place["province_2025"], "province_before_2025": place["province"]}


def _province_name(name: str) -> str | None:
    try:
        from nlp.gazetteer import pre_merger_name
        return pre_merger_name(name)
    except Exception:  # noqa: BLE001
        return None


def find_documents(practice: dict, directives: list[dict], text: str) -> list[str]:
    """Keys of the directives in the passage or its paragraph, in text order, once each."""
    a, b = _paragraph(text, practice["start"], practice["end"])
    out: list[str] = []
    for d in sorted((d for d in directives or [] if isinstance(d, dict) and _inside(d, a, b)),
                    key=lambda d: d["start"]):
        key = d.get("key") or d.get("catalog_key")
        if key and key not in out:
            out.append(key)
    return out


def find_outcome(practice: dict, metrics: list[dict], text: str = "") -> list[dict]:
    """The figures stated inside the passage, or in the sentence right after it in its
    paragraph when that one states its result ('Nhờ đó, ...', 'Kết quả, ...', 'Qua đó, ...')."""
    hi = practice["end"]
    m = _OUTCOME_LEAD.match(text, hi) if text else None
    if m and "\n" not in text[hi:m.end()]:
        hi = m.end()
    return [{"text": m.get("text"), "start": m["start"], "end": m["end"], "value": m.get("value"),
             "unit": m.get("unit"), "indicator": m.get("indicator")}
            for m in sorted((m for m in metrics or [] if isinstance(m, dict)
                             and _inside(m, practice["start"], hi)), key=lambda m: m["start"])]


def _masked(text: str, start: int, end: int, directives: list[dict]) -> str:
    """The passage with directive references (and the issue date or term right after them)
    blanked, so their years are not read as the practice's time."""
    chars = list(text[start:end])
    for d in directives or []:
        if not isinstance(d, dict) or not isinstance(d.get("start"), int) or not isinstance(d.get("end"), int):
            continue
        s, e = max(d["start"], start), min(d["end"], end)
        if s >= e:
            continue
        m = _DOC_DATE.match(text, e) if e < end else None
        while m and m.end() <= end:
            e = m.end()
            m = _DOC_DATE.match(text, e)
        for i in range(s - start, e - start):
            chars[i] = " "
    return "".join(chars)


def find_time(practice: dict, directives: list[dict], text: str, published: str | None) -> str | None:
    """A period ('2020-2025') or year ('2023') stated in the passage, else the published year."""
    s = _masked(text, practice["start"], practice["end"], directives)
    m = _PERIOD.search(s)
    if m and m.group(1) < m.group(2):
        return f"{m.group(1)}-{m.group(2)}"
    m = _YEAR_RX.search(s)
    if m:
        return m.group(1) or m.group(2)
    if isinstance(published, str):
        y = re.match(rf"\s*({_YEAR})\b", published)
        if y:
            return y.group(1)
    return None


def describe_practices(text: str, practices: list[dict], entities: list[dict], directives: list[dict],
                       metrics: list[dict], published: str | None, doc_province: str | None) -> list[dict]:
    """Each practice with ``actor``, ``place``, ``documents``, ``outcome`` and ``time`` added
    (see the module docstring); practices without a usable span get nulls and empty lists."""
    text = text if isinstance(text, str) else ""
    out = []
    for p in practices or []:
        if not isinstance(p, dict):
            continue
        rec = dict(p)
        s, e = p.get("start"), p.get("end")
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            rec.update(actor=None, place=None, documents=[], outcome=[], time=None)
            out.append(rec)
            continue
        actor = find_actor(p, entities, text)
        rec.update(actor=actor,
                   place=as_named_then(_new_commune(find_place(p, actor, entities, text, doc_province),
                                                    doc_province, published), published),
                   documents=find_documents(p, directives, text),
                   outcome=find_outcome(p, metrics, text),
                   time=find_time(p, directives, text, published))
        out.append(rec)
    return out
