"""Numbers that are figures: regex candidates, then filters (dates, years, durations, document
numbers, ordinals and names are not figures), values and qualifiers."""
from __future__ import annotations

import re

from nlp import numbers
from nlp.clauses import _SENT_BREAK
from nlp.indicators import RX_COUNT_OF, STOP, lookup_key

_NUM = numbers.NUM_RX
RX_FIGURE = re.compile(
    rf"(?=\d)(?<![\w.,/:-])(?P<num>{_NUM})(?![\w]|[.,]\d)"
    rf"(?:\s?/\s?(?P<den>{_NUM})(?![\w/:-]|[.,]\d))?"
    rf"(?:\s+(?P<mult>nghìn|ngàn|vạn|triệu|tỷ|tỉ)(?!\w)(?!\s+lệ\b))?"
    rf"(?P<pct>\s?%|\s+phần trăm)?")
RX_RANGE_NEXT = re.compile(rf"\s*(?:đến|tới|-|–)\s*(?P<num>{_NUM})(?P<pct>\s?%)?")

QUALIFIER_BEFORE = (
    ("approx", re.compile(r"(?i:(?:gần|khoảng|xấp xỉ|chừng|ước tính|ước khoảng|ước|gần như|hầu như))\s*$")),
    ("gt", re.compile(r"(?i:(?:trên|hơn|hơn nữa|ít nhất|tối thiểu|không dưới))\s*$")),
    ("lt", re.compile(r"(?i:(?:dưới|chưa đến|chưa tới|chưa đầy|không quá|không tới|không đến|tối đa))\s*$")),
)
RX_TARGET = re.compile(r"(?i:phấn đấu|mục tiêu|chỉ tiêu phấn đấu|đề ra chỉ tiêu|đặt ra chỉ tiêu|hướng tới|chỉ tiêu đề ra|yêu cầu\b[^;]*?\b(?:đến|trước|phải)\b)")
RX_FROM_UP = re.compile(r"(?i:từ)\s*$")
RX_UP_AFTER = re.compile(r"(?i:[^.;]{0,60}?trở lên)")

# Words right before a number that make it a name, ordinal, date part or code, not a figure.
PREV_BLOCK = frozenset("""năm tháng ngày khóa khoá thứ số kỳ quý điều khoản chương mục phần ảnh hình
trang tập quận phường tổ khu vực ấp thôn xóm bản đội khóm đường phố lộ ql đai km lô tầng phòng
hotline tel fax mã hạng lúc hồi tw top lớp cụm block phiên vòng giải cấp bậc nhóm tuyến
tiểu""".split())
PREV_BLOCK_2 = frozenset(["lần thứ", "đại hội", "trung ương", "điện thoại", "khu phố", "tổ dân", "vành đai",
                          "quốc lộ", "tỉnh lộ", "kỳ họp", "hội nghị", "số điện", "nhiệm kỳ", "giai đoạn"])
COUNT_LEADS = frozenset(["tổng số", "trong số", "với tổng số"])
RX_COUNT_NOUN = re.compile(r"\s+(?:đồng chí|đảng viên|chi bộ|tổ chức|đảng bộ|người|hộ|tập thể|cán bộ)(?!\w)")
RX_PAIRED = re.compile(r"\s+(?:trong số|và|/)\s+\d[\d.,]*\s+[^\W\d]")
# Verbs a count may follow with no noun after it: 'khiển trách 51, cảnh cáo 27, khai trừ 12 đảng viên'.
COUNTING_VERBS = frozenset(["khiển trách", "cảnh cáo", "cách chức", "khai trừ", "xóa tên", "xoá tên", "kỷ luật"])
# Words right after a number that make it a duration, money, measure or age.
NEXT_BLOCK = frozenset("""năm tháng ngày tuần giờ phút giây quý thế tuổi lần độ""".split())
RX_WORD_FIGURE = re.compile(
    r"(?=[hbstcm])(?<![\w])(?<!cả )(?<!Cả )(?P<num>(?:hai|ba|bốn|sáu|bảy|tám|chín|mười)(?:\s+mươi(?:\s+(?:mốt|hai|ba|bốn|tư|lăm|sáu|bảy|tám|chín))?)?)"
    r"\s+(?=(?i:đảng bộ|chi bộ|đảng viên|tổ chức cơ sở đảng|tổ chức đảng|cấp ủy viên)\b)")



def _prev_words(text: str, start: int, n: int = 2) -> list[str]:
    """The words directly before start (none when punctuation intervenes)."""
    m = re.search(r"((?:[^\W\d_]+\.?\s+){1,%d})$" % n, text[max(0, start - 30):start])
    return [lookup_key(w) for w in m[1].split()] if m else []


def _next_word(text: str, end: int) -> str:
    """The word after a number, lower-cased ('ngày công' kept whole: labour, not time)."""
    m = re.match(r"\s*([^\s,;:()\[\]\"“”]+?)[.,;:!?…)]*(?:\s|$)(công\b)?", text[end:end + 30])
    return lookup_key(m[1] + (" " + m[2] if m[2] else "")) if m else ""


def _is_date_part(text: str, start: int, end: int) -> bool:
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    return bool(re.search(r"\d\s?[-/.:]$|\d[-/:]\s?$", before) or re.match(r"[-/:]\d|\s?[-–]\s?\d", after))


def is_figure(text: str, m: re.Match) -> bool:
    """False for years, dates, durations, money, ordinals, names and codes."""
    num, start, end = m["num"], m.start(), m.end()
    if m["den"] and not _ratio_ok(m):
        return False
    if not m["den"] and _is_date_part(text, start, m.end("num")):
        return False
    if re.fullmatch(r"(?:19|20)\d{2}", num) and not m["pct"]:
        return False
    prev = _prev_words(text, start)
    counted = " ".join(prev) in COUNT_LEADS          # 'tổng số 46.324', 'trong số 686'
    if not counted and ((prev and prev[-1] in PREV_BLOCK) or " ".join(prev) in PREV_BLOCK_2):
        return False
    if m["pct"]:
        return True
    if _after_name(text, start) and not RX_COUNT_NOUN.match(text, end):
        return False                                  # 'huyện Nghi Lộc 15 đồng chí' is a count
    nxt = _next_word(text, end)
    if not nxt or not nxt[0].isalpha():
        return (_clause_total(text, start, end, prev) or (bool(prev) and " ".join(prev[-2:]) in COUNTING_VERBS)
                or (bool(prev) and prev[-1] in ("tăng", "giảm") and text.startswith(")", end)))
    if RX_PAIRED.match(text, end):                    # '662 trong số 686 TCCSĐ', 'đạt 14.206 và 13.871 đảng viên'
        return True
    return nxt not in NEXT_BLOCK and nxt not in STOP


def _after_name(text: str, start: int) -> bool:
    """'Chi bộ ấp Nhơn Lộc 1', 'Vành đai 4': a number right after a capitalised word that
    does not open the sentence is part of a name."""
    before = text[max(0, start - 40):start]
    m = re.search(r"([^\W\d_]\w*)\s+$", before)
    if not m or not m[1][0].isupper():
        return False
    return not re.search(r"(?:^|[.!?:;\n(\"“])\s*$", before[:m.start()])


def _clause_total(text: str, start: int, end: int, prev: list[str]) -> bool:
    """'Số doanh nghiệp ... có tổ chức đảng là 214.': a number closing a clause about a 'số'."""
    if not prev or prev[-1] not in ("là", "lên", "đạt", "gồm", "còn", "gần", "khoảng", "hơn", "trên"):
        return False
    window = text[max(0, start - 300):start]
    s0 = max(0, start - 300) + max((m.end() for m in _SENT_BREAK.finditer(window)), default=0)
    if re.match(r"\s*\w", text[end:end + 3]):
        return False
    in_paren = re.search(r"\((?i:năm|tháng|cùng kỳ)[^()]*$", text[s0:start])
    return bool(in_paren and prev[-1] == "là") or bool(RX_COUNT_OF.search(text[s0:start]))


def _ratio_ok(m: re.Match) -> bool:
    a, b = numbers.parse_digits(m["num"]), numbers.parse_digits(m["den"])
    return a is not None and b is not None and 0 < a <= b and not (a <= 12 and 1900 <= b <= 2100)


# 'các chỉ tiêu nhiệm kỳ 2020-2025: ...', 'phấn đấu đến năm 2030: ...' (not '... chỉ tiêu được giao,
# cụ thể: <results>')
RX_TARGET_LIST = re.compile(r"(?i:(?:các|những)\s+(?:chỉ tiêu|mục tiêu)|phấn đấu)(?:(?!cụ thể)[^.;:!?%])"
                            r"{0,80}:")


def qualifier(text: str, m: re.Match, clause_from: int, end: int, sent_from: int | None = None) -> str:
    """exact, approx, gt, lt or target. A target ('phấn đấu', 'chỉ tiêu ... đạt', or a list
    after 'các chỉ tiêu nhiệm kỳ 2020-2025:') wins over 'từ ... trở lên' and 'trên'."""
    before = text[max(clause_from, m.start() - 40):m.start()]
    if RX_TARGET.search(text[clause_from:m.start()]):
        return "target"
    if sent_from is not None and RX_TARGET_LIST.search(text[sent_from:clause_from]):
        return "target"
    if RX_FROM_UP.search(before) and RX_UP_AFTER.match(text, end):
        return "gt"
    for name, rx in QUALIFIER_BEFORE:
        if rx.search(before):
            return name
    return "exact"



def candidates(text: str, blocked: list[tuple[int, int]]) -> list[tuple[re.Match, float | None]]:
    out = []
    for m in RX_FIGURE.finditer(text):
        if any(a <= m.start() < b for a, b in blocked):
            continue
        partner = None if m["pct"] or m["den"] else RX_RANGE_NEXT.match(text, m.end())
        if (partner and _range_ok(text, m, partner)) or is_figure(text, m):
            out.append((m, partner))
    for m in RX_WORD_FIGURE.finditer(text):
        if not any(a <= m.start() < b for a, b in blocked):
            out.append((m, None))
    return sorted(out, key=lambda c: c[0].start())


def _range_ok(text: str, m: re.Match, partner: re.Match) -> bool:
    """'từ 5 đến 7 chi bộ', 'từ 10 đến 12%': the first number of a range."""
    if not re.search(r"(?i:từ)\s*$", text[max(0, m.start() - 6):m.start()]):
        return False
    return bool(partner["pct"]) or bool(_next_word(text, partner.end())[:1].isalpha())


def value_of(m: re.Match) -> float | None:
    if "num" in m.groupdict() and m.re is RX_WORD_FIGURE:
        return numbers.parse_words(m["num"])
    v = numbers.parse_digits(m["num"])
    mult = numbers.MULTIPLIERS.get((m.groupdict().get("mult") or "").lower(), 1)
    return None if v is None else v * mult


def number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(v, 6)

