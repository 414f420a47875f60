"""Party and state documents named in a text: codes ('05-CT/TƯ'), numbered mentions
('Đề án số 11 của Thành ủy'), plenum resolutions ('Nghị quyết Trung ương 4 (khóa XII)') and
Congress resolutions ('Nghị quyết Đại hội XIII của Đảng'), resolved through the catalog.

    >>> [d["key"] for d in find_directives("Thực hiện Chỉ thị 05-CT/TƯ của Bộ Chính trị.")]
    ['05-CT/TW']
"""
from __future__ import annotations

import re

from nlp import catalog
from nlp.text import lookup_key

KIND_WORDS = {"chỉ thị": "CT", "nghị quyết": "NQ", "quy định": "QĐ", "quyết định": "QĐ",
              "hướng dẫn": "HD", "kế hoạch": "KH", "kết luận": "KL", "đề án": "ĐA",
              "chương trình": "CTr", "thông báo": "TB", "quy chế": "QC"}
CODE_KINDS = {"CTR": "CTr", "CT": "CT", "NQ": "NQ", "QĐI": "QĐi", "QĐ": "QĐ", "HD": "HD",
              "KH": "KH", "KL": "KL", "ĐA": "ĐA", "TB": "TB", "QC": "QC"}
# Body named after 'của' (or before 'ban hành') → issuer code; longest names first.
ISSUER_BODIES = (
    ("ban tổ chức trung ương", "BTCTW"), ("ủy ban kiểm tra trung ương", "UBKTTW"),
    ("ban tuyên giáo trung ương", "BTGTW"), ("ban tuyên giáo và dân vận trung ương", "BTGDVTW"),
    ("ban dân vận trung ương", "BDVTW"), ("ban nội chính trung ương", "BNCTW"),
    ("văn phòng trung ương", "VPTW"), ("bộ chính trị", "TW"), ("ban bí thư", "TW"),
    ("ban chấp hành trung ương", "TW"), ("trung ương", "TW"),
    ("ban tổ chức tỉnh ủy", "BTCTU"), ("ban tổ chức thành ủy", "BTCTU"),
    ("ban tuyên giáo tỉnh ủy", "BTGTU"), ("ban tuyên giáo thành ủy", "BTGTU"),
    ("ủy ban kiểm tra tỉnh ủy", "UBKTTU"), ("ủy ban kiểm tra thành ủy", "UBKTTU"),
    ("ban dân vận tỉnh ủy", "BDVTU"), ("ban dân vận thành ủy", "BDVTU"),
    ("ban thường vụ tỉnh ủy", "TU"), ("ban thường vụ thành ủy", "TU"), ("btv tỉnh ủy", "TU"),
    ("btv thành ủy", "TU"), ("tỉnh ủy", "TU"), ("thành ủy", "TU"), ("thị ủy", "TU"),
    ("ban thường vụ huyện ủy", "HU"), ("huyện ủy", "HU"),
    ("ban thường vụ quận ủy", "QU"), ("quận ủy", "QU"),
    ("ban thường vụ đảng ủy", "ĐU"), ("đảng ủy", "ĐU"),
    ("thủ tướng chính phủ", "TTG"), ("chính phủ", "CP"),
    ("ủy ban nhân dân", "UBND"), ("ubnd", "UBND"), ("hội đồng nhân dân", "HĐND"), ("hđnd", "HĐND"),
)
# Kinds cited by bare number ('Chỉ thị 05', 'Quy định 37'); others need 'số' or an issuer.
BARE_NUMBER_KINDS = frozenset({"CT", "NQ", "QĐ", "KL", "HD"})
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
ORDINAL_WORDS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
                 "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12,
                 "mười ba": 13, "mười bốn": 14, "mười lăm": 15}

_KW = r"(?i:chỉ thị|nghị quyết|quy định|quyết định|hướng dẫn|kế hoạch|kết luận|đề án|chương trình|thông báo|quy chế)"
_KINDS = r"(?:CTr|CTR|CT|NQ|QĐi|QĐI|QĐ|HD|KH|KL|ĐA|TB|QC)"
_ISSUER = r"[A-ZĐƯa-zđư](?:[A-ZĐƯa-zđư]|\.(?=[A-ZĐƯ]))*"
_DATE = r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*((?:19|20)\d{2})"
_TERM = r"(?:\s*[(,]?\s*(?i:khóa|khoá)\s+(?P<t>[IVXL]{1,6}|\d{1,2})(?:\s*\))?)"
_ORD = "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))

RX_KW_BEFORE = re.compile(
    rf"(?=[CcNnQqHhKkĐđTt])(?:{_KW}\s+)?{_KW}(?:(?:\s+[^\W\d_]+){{0,3}}?\s+(?i:số)|\s+(?i:số))?\s+$")
RX_CODE = re.compile(
    rf"(?<![\w/.-])"
    rf"(?:(?P<n1>\d{{1,5}})\s?[-–]\s?(?P<k1>{_KINDS})\s?/\s?(?P<i1>{_ISSUER})"
    rf"|(?P<n2>\d{{1,5}})(?:/(?:19|20)\d{{2}})?/(?P<k2>{_KINDS})-(?P<i2>{_ISSUER})"
    rf"|(?P<n3>\d{{1,5}})/(?P<k3>{_KINDS})/(?P<i3>{_ISSUER}))(?![\w])"
    rf"{_TERM}?")
RX_NUMBERED = re.compile(
    rf"(?=[CcNnQqHhKkĐđTt])(?<!\w)(?P<kw>{_KW})\s+(?:(?i:số)\s+)?(?P<n>\d{{1,4}})(?![\w\-–/]|[.,]\d){_TERM}?")
RX_PLENUM = re.compile(
    rf"(?=[NnKk])(?<!\w)(?P<kw>(?i:nghị quyết|kết luận))\s+(?:(?i:hội nghị)\s+)?"
    rf"(?:(?i:lần thứ)\s+(?P<o1>{_ORD}|\d{{1,2}})\s+)?(?:(?i:ban chấp hành)\s+)?"
    rf"(?:(?i:trung ương)|TW|T\.Ư|TƯ|T\.W)\s*(?:Đảng\s+)?"
    rf"(?:(?:(?i:lần thứ)\s+)?(?P<o2>\d{{1,2}}(?!\d)|(?<=thứ )(?:{_ORD})))?(?![\w-])(?:\s+Đảng)?{_TERM}?")
RX_CONGRESS = re.compile(
    rf"(?=[Nn])(?<!\w)(?i:nghị quyết)\s+(?i:đại hội)(?P<mid>(?:\s+(?!của\b|lần\b|nhiệm\b)[^\s\d,;:()\"“”]+){{0,8}}?)"
    rf"\s+(?:(?i:lần thứ)\s+)?(?P<num>[IVXL]{{1,6}}|\d{{1,2}})(?![\w/-])(?P<tail>(?:\s+[^\s,;:()\"“”.]+){{0,5}})")
# 'Nghị quyết Đại hội (đại biểu) Đảng bộ tỉnh', 'Nghị quyết Đại hội Đảng bộ Quân sự tỉnh nhiệm kỳ
# 2025-2030': a congress resolution named without its ordinal (term unknown).
RX_CONGRESS_PLAIN = re.compile(
    r"(?=[Nn])(?<!\w)(?i:nghị quyết)\s+(?i:đại hội)(?:\s+(?i:đại biểu))?\s+Đảng\s+bộ(?P<name>(?:\s+[^\W\d_]\w*){0,6})")
RX_CONGRESS_NTH = re.compile(r"\s+(?i:lần thứ)\s+([IVXL]{1,6}|\d{1,2})(?![\w/-])")
RX_DATE_AFTER = re.compile(rf"\s*(?:\([^)]{{0,30}}\)\s*)?,?\s*(?:được\s+)?(?:ban hành\s+)?(?i:ngày)\s+{_DATE}")
RX_DATE_BEFORE = re.compile(rf"(?i:ngày)\s+{_DATE}\s*,?[^.;!?]{{0,80}}?ban hành\s+$")
RX_OF_BODY = re.compile(rf"\s*(?:\([^)]{{0,30}}\)\s*)?,?\s*(?:ngày\s+{_DATE}\s*)?(?:của|do)\s+(?P<body>[^,.;:()\"“”]{{2,60}})")
RX_BODY_ISSUES = re.compile(r"(?P<body>[^,.;:()\"“”]{2,60}?)\s+(?:đã\s+|vừa\s+)?ban hành\s+$")
_MID_WORDS = frozenset("đại biểu toàn quốc đảng bộ tỉnh thành phố quận huyện thị xã phường tp tp.".split())
_LOWER_HEADS = frozenset("tỉnh thành phố quận huyện thị xã phường tp tp.".split())


def roman_to_int(s: str) -> int | None:
    """'XIII' → 13; None for anything else."""
    s = (s or "").upper()
    if not s or any(c not in ROMAN for c in s):
        return None
    vals = [ROMAN[c] for c in s]
    return sum(-v if i + 1 < len(vals) and v < vals[i + 1] else v for i, v in enumerate(vals))


def int_to_roman(n: int) -> str:
    """13 → 'XIII' (1..89)."""
    out = ""
    for value, sym in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def term_roman(s: str | None) -> str | None:
    """'XII' or '12' → 'XII'."""
    if not s:
        return None
    n = int(s) if s.isdigit() else roman_to_int(s)
    return int_to_roman(n) if n and 0 < n < 90 else None


def norm_issuer(s: str | None) -> str | None:
    """Upper-case issuer with TƯ / T.Ư / T.W written TW: 'BTCTƯ' → 'BTCTW'."""
    if not s:
        return None
    s = s.upper().replace("T.Ư", "TW").replace("T.W", "TW").replace("TƯ", "TW")
    return s.replace(".", "") or None


def make_key(kind: str | None, number: int | None, issuer: str | None) -> str | None:
    """'05-CT/TW' from (CT, 5, TW); None unless all three are known."""
    if not kind or number is None or not issuer:
        return None
    return f"{number:02d}-{kind}/{issuer}"


def iso_date(m: re.Match, first: int = 1) -> str | None:
    """ISO date from a match of _DATE (day, month, year groups starting at `first`)."""
    d, mo, y = (int(m.group(first + i)) for i in range(3))
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= d <= 31 and 1 <= mo <= 12 else None


def issuer_of_body(body: str) -> str | None:
    """Issuer code of a body name: 'Ban Thường vụ Thành ủy Hà Nội' → 'TU'."""
    key = lookup_key(body)
    for name, code in ISSUER_BODIES:
        if key.startswith(name):
            return code
    return None


def issuer_from_context(text: str, start: int, end: int) -> str | None:
    """Issuer from 'của <body>' right after a mention, or '<body> ban hành' right before it."""
    m = RX_OF_BODY.match(text, end)
    if m:
        return issuer_of_body(m["body"])
    m = RX_BODY_ISSUES.search(text[max(0, start - 80):start])
    if m:
        words = m["body"].split()
        for i in range(len(words)):
            code = issuer_of_body(" ".join(words[i:]))
            if code:
                return code
    return None


def date_from_context(text: str, start: int, end: int) -> str | None:
    """Date of issue: '... 11-ĐA/TU ngày 6/12/2021' or 'ngày 25-6-2012, X đã ban hành ...'."""
    m = RX_DATE_AFTER.match(text, end)
    if m:
        return iso_date(m)
    m = RX_DATE_BEFORE.search(text[max(0, start - 120):start])
    return iso_date(m) if m else None


def _item(text: str, start: int, end: int, kind: str, number: int | None, issuer: str | None,
          term: str | None, how: str) -> dict:
    return {"text": text[start:end], "start": start, "end": end, "kind": kind, "number": number,
            "issuer": issuer, "key": make_key(kind, number, issuer), "term": term, "date": None,
            "_how": how}


def code_mentions(text: str) -> list[dict]:
    """Mentions carrying a code: 'Chỉ thị 05-CT/TƯ', '12-HD/BTCTƯ', 'Quy định 205/QĐ-TW'."""
    out = []
    for m in RX_CODE.finditer(text):
        form = next(k for k in "123" if m["n" + k])    # 12-CT/TW, 12/2019/CT-TW or 646/QĐ/QUTW
        num, kind, iss = m["n" + form], m["k" + form], m["i" + form]
        end = m.end() if m["t"] else m.end("i" + form)
        kw = RX_KW_BEFORE.search(text, max(0, m.start() - 60), m.start())
        start = kw.start() if kw else m.start()
        out.append(_item(text, start, end, CODE_KINDS[kind.upper()], int(num), norm_issuer(iss),
                         term_roman(m["t"]), "code"))
    return out


def numbered_mentions(text: str) -> list[dict]:
    """'Đề án số 11', 'Chỉ thị 05 của Bộ Chính trị (khóa XII)': kind word + number, no code."""
    out = []
    for m in RX_NUMBERED.finditer(text):
        n = int(m["n"])
        if len(m["n"]) == 4 and 1900 <= n <= 2100:
            continue
        end = m.end() if m["t"] else m.end("n")
        issuer = issuer_from_context(text, m.start(), m.end())
        kind = KIND_WORDS[lookup_key(m["kw"])]
        if kind not in BARE_NUMBER_KINDS and not issuer and "số" not in m[0].lower():
            continue  # 'Chương trình 135', 'Đề án 06': national programmes, not party documents
        item = _item(text, m.start(), end, kind, n, issuer, term_roman(m["t"]), "numbered")
        item["_state"] = lookup_key(m["kw"]) == "quyết định"
        out.append(item)
    return out


def plenum_mentions(text: str) -> list[dict]:
    """'Nghị quyết Trung ương 4 (khóa XII)', 'Nghị quyết TW4 khóa XII', 'Kết luận Hội nghị
    Trung ương 4 khóa XIII'; number/issuer resolved later through the catalog."""
    out = []
    for m in RX_PLENUM.finditer(text):
        plen = m["o1"] or m["o2"]
        if not plen:
            continue
        n = int(plen) if plen.isdigit() else ORDINAL_WORDS.get(plen.lower())
        item = _item(text, m.start(), m.end(), KIND_WORDS[lookup_key(m["kw"])], None, None,
                     term_roman(m["t"]), "plenum")
        item["_plenum"] = n
        out.append(item)
    return out


def _congress_mid_ok(mid: str) -> bool:
    words = mid.split()
    return all(w[:1].isupper() or w.lower() in _MID_WORDS for w in words)


def _name_tail(tail: str) -> str:
    """Leading 'Đảng bộ <Name>' of the words after a congress numeral ('' if none)."""
    words = tail.split()
    if len(words) < 3 or words[0] != "Đảng" or words[1] != "bộ":
        return ""
    keep = 2
    for i, w in enumerate(words[2:], start=2):
        head = w.lower() in _LOWER_HEADS and i == 2
        joined = w.lower() in ("phố", "xã") and words[i - 1].lower() in ("thành", "thị")
        if not (w[:1].isupper() or head or joined):
            break
        keep = i + 1
    return " ".join(words[:keep]) if keep > 2 else ""


def congress_mentions(text: str) -> list[dict]:
    """'Nghị quyết Đại hội XII của Đảng', 'Nghị quyết Đại hội 17 Đảng bộ Thành phố',
    'Nghị quyết Đại hội Đảng bộ thành phố lần thứ X': kind NQ, no number, term = the congress."""
    out = []
    for m in RX_CONGRESS.finditer(text):
        if not _congress_mid_ok(m["mid"]):
            continue
        term = term_roman(m["num"])
        if not term:
            continue
        end = m.end("num")
        name = _name_tail(m["tail"])
        if name and not m["mid"].strip():
            end = text.index(name, end) + len(name)
        item = _item(text, m.start(), end, "NQ", None, None, term, "congress")
        item["_local"] = "bộ" in m["mid"].split() or bool(name) or _local_after(text, m.end("num"))
        out.append(item)
    return out


def plain_congress_mentions(text: str) -> list[dict]:
    """'Nghị quyết Đại hội đại biểu Đảng bộ tỉnh (nhiệm kỳ 2025-2030)': a local congress
    resolution without an ordinal; kind NQ, no number, term null. The body's name runs over
    capitalised words, administrative heads ('tỉnh', 'thành phố') and known name compounds
    ('Quân sự', from org_name_words.csv), and stops before 'nhiệm kỳ', 'lần thứ', 'của' or any
    other lower-case word."""
    from nlp.gazetteer import phrase_key
    from nlp.orgs import name_words

    pairs = name_words()[0]
    out = []
    for m in RX_CONGRESS_PLAIN.finditer(text):
        end, prev = m.start("name"), ""
        for w in re.finditer(r"\w+", m["name"]):
            word = w[0]
            ok = (word[:1].isupper() or word.lower() in _LOWER_HEADS
                  or (prev and phrase_key(f"{prev} {word}") in pairs)
                  or (word.lower() in ("phố", "xã") and prev.lower() in ("thành", "thị")))
            if not ok or text[m.start("name") + w.start() - 1] not in " \t":
                break
            end, prev = m.start("name") + w.end(), word
        nth = RX_CONGRESS_NTH.match(text, end)
        term = term_roman(nth[1]) if nth else None
        end = nth.end() if term else end
        item = _item(text, m.start(), end, "NQ", None, None, term, "congress")
        item["_local"] = True
        out.append(item)
    return out


def _local_after(text: str, end: int) -> bool:
    return bool(re.match(r"\s*(?:của\s+)?Đảng bộ", text[end:end + 20]))


def non_overlapping(items: list[dict]) -> list[dict]:
    """Earliest, then longest item wins; the rest that overlap are dropped."""
    out: list[dict] = []
    for it in sorted(items, key=lambda d: (d["start"], -(d["end"] - d["start"]))):
        if not out or it["start"] >= out[-1]["end"]:
            out.append(it)
    return out


def _apply_row(it: dict, row: dict | None) -> None:
    """Copy what the catalog knows (issuer, key, term, title, issuing body) onto a mention."""
    if not row:
        return
    if row["key"]:
        it["number"], it["issuer"] = row["number"], row["issuer_code"]
        it["key"] = row["code"]
        it["catalog_key"] = row["key"]
    it["term"] = it["term"] or row["term"] or None
    it["title"], it["issuing_body"] = row["title"], row["issuing_body"]


def _resolve_numbered(it: dict, context: str, year: int | None) -> None:
    """Central documents by (kind, number[, issuer]); a bare number takes the catalog's issuer."""
    if it.get("_state") or it["issuer"] not in (None, "TW", "BTCTW"):
        return
    rows = catalog.candidates(it["kind"], it["number"], it["issuer"])
    row = catalog.pick(rows, it["term"], context, year)
    if not row and rows and it["issuer"] is None and len({r["code"] for r in rows}) == 1:
        it["issuer"] = rows[0]["issuer_code"]
        it["key"] = make_key(it["kind"], it["number"], it["issuer"])
    _apply_row(it, row)


def _resolve_plenum(it: dict, context: str, year: int | None, plenum_terms: dict) -> None:
    term = it["term"] or plenum_terms.get((it["kind"], it["_plenum"]))
    if not term and year:
        term = catalog.term_of_date(f"{year}-12-31")
    if term:
        it["term"] = term
        _apply_row(it, catalog.pick(catalog.plenum_rows(it["kind"], it["_plenum"], term), term, context, year))


def _share_within_doc(items: list[dict]) -> None:
    """Mentions of one document share issuer (by kind+number), then date and term (by key)."""
    issuers: dict[tuple, set] = {}
    for it in items:
        if it["number"] is not None and it["issuer"]:
            issuers.setdefault((it["kind"], it["number"]), set()).add(it["issuer"])
    for it in items:
        found = issuers.get((it["kind"], it["number"]), set())
        if it["number"] is not None and not it["issuer"] and len(found) == 1:
            it["issuer"] = next(iter(found))
            it["key"] = make_key(it["kind"], it["number"], it["issuer"])
    for field in ("date", "term"):
        known = {it["key"]: it[field] for it in items if it["key"] and it[field]}
        for it in items:
            if it["key"] and not it[field]:
                it[field] = known.get(it["key"])


def _year(published: str | None) -> int | None:
    m = re.match(r"\s*((?:19|20)\d{2})", published or "")
    return int(m[1]) if m else None


# 'kết luận 29 đảng viên có vi phạm', 'kết luận 3 tập thể': the verb with a count, not a document
RX_COUNTED_AFTER = re.compile(r"\s*(?:đảng viên|tập thể|tổ chức|cá nhân|trường hợp|cán bộ|đồng chí|chi bộ|đảng bộ)(?!\w)")


def _verb_with_count(text: str, it: dict) -> bool:
    """A lower-case kind word and a bare number followed by what it counts."""
    mention = text[it["start"]:it["end"]]
    return (mention[:1].islower() and bool(re.fullmatch(r"\w+(?:\s\w+)?\s+\d{1,4}", mention))
            and bool(RX_COUNTED_AFTER.match(text, it["end"])))


def find_directives(text: str, published: str | None = None) -> list[dict]:
    """Contract directive dicts, in text order; [] for empty or unusable input."""
    if not isinstance(text, str) or not text.strip():
        return []
    items = non_overlapping(code_mentions(text) + plenum_mentions(text)
                            + congress_mentions(text) + numbered_mentions(text)
                            + plain_congress_mentions(text))
    items = [it for it in items if not _verb_with_count(text, it)]
    year = _year(published)
    for it in items:
        it["date"] = date_from_context(text, it["start"], it["end"]) if it["number"] is not None else None
    _share_within_doc(items)
    plenum_terms = {(it["kind"], it["_plenum"]): it["term"] for it in items
                    if it.get("_plenum") and it["term"]}
    for it in items:
        context = text[it["start"]:it["end"] + 160]
        if it["_how"] == "plenum":
            _resolve_plenum(it, context, year, plenum_terms)
        elif it["_how"] == "congress":
            _apply_row(it, None if it["_local"] else catalog.congress_row(it["term"]))
        else:
            _resolve_numbered(it, context, year)
    _share_within_doc(items)
    return [{k: v for k, v in it.items() if not k.startswith("_")} for it in items]
