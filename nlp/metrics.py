"""Figures about party bodies and places: '969 đảng viên', 'gần 15 nghìn đảng viên', '0,7%',
'15/18 chi bộ', with qualifier, indicator, subject, locality and period.

Regex first: numbers are found with precompiled patterns, then filtered (dates, years,
durations, document numbers, ordinals and names are not figures) and described from the
words around them. Lexicons come from ``data/reference/indicators.csv``.
"""
from __future__ import annotations

import bisect
import csv
import re
from functools import lru_cache

from nlp import numbers
from nlp.resources import reference_path
from nlp.text import fold, lookup_key as _lookup_key

_NUM = numbers.NUM_RX
RX_FIGURE = re.compile(
    rf"(?=\d)(?<![\w.,/:-])(?P<num>{_NUM})(?![\w]|[.,]\d)"
    rf"(?:\s?/\s?(?P<den>{_NUM})(?![\w/:-]|[.,]\d))?"
    rf"(?:\s+(?P<mult>nghìn|ngàn|vạn|triệu|tỷ|tỉ)(?!\w)(?!\s+lệ\b))?"
    rf"(?P<pct>\s?%|\s+phần trăm)?")
RX_RANGE_NEXT = re.compile(rf"\s*(?:đến|tới|-|–)\s*(?P<num>{_NUM})(?P<pct>\s?%)?")
_SENT_BREAK = re.compile(r"(?=[.!?…\n])(?:(?<!\d)[.!?…](?=\s)|\n)")
RX_COMPARE_BEFORE = re.compile(r"(?i:so với|so|từ|trước)\s+(?:cùng kỳ\s+)?$")

QUALIFIER_BEFORE = (
    ("approx", re.compile(r"(?i:(?:gần|khoảng|xấp xỉ|chừng|ước tính|ước khoảng|ước|gần như|hầu như))\s*$")),
    ("gt", re.compile(r"(?i:(?:trên|hơn|hơn nữa|ít nhất|tối thiểu|không dưới))\s*$")),
    ("lt", re.compile(r"(?i:(?:dưới|chưa đến|chưa tới|chưa đầy|không quá|không tới|không đến|tối đa))\s*$")),
)
RX_TARGET = re.compile(r"(?i:phấn đấu|mục tiêu|chỉ tiêu phấn đấu|đề ra chỉ tiêu|đặt ra chỉ tiêu|hướng tới|chỉ tiêu đề ra|yêu cầu\b[^;]*?\b(?:đến|trước|phải)\b)")
RX_FROM_UP = re.compile(r"(?i:từ)\s*$")
RX_UP_AFTER = re.compile(r"(?i:[^.;]{0,60}?trở lên)")

lookup_key = lru_cache(maxsize=16384)(_lookup_key)

# Words right before a number that make it a name, ordinal, date part or code, not a figure.
PREV_BLOCK = frozenset("""năm tháng ngày khóa khoá thứ số kỳ quý điều khoản chương mục phần ảnh hình
trang tập quận phường tổ khu vực ấp thôn xóm bản đội khóm đường phố lộ ql đai km lô tầng phòng
hotline tel fax mã hạng lúc hồi tw top lớp cụm block phiên vòng giải cấp bậc nhóm tuyến
tiểu""".split())
PREV_BLOCK_2 = frozenset(["lần thứ", "đại hội", "trung ương", "điện thoại", "khu phố", "tổ dân", "vành đai",
                          "quốc lộ", "tỉnh lộ", "kỳ họp", "hội nghị", "số điện", "nhiệm kỳ", "giai đoạn"])
# Words right after a number that make it a duration, money, measure or age.
NEXT_BLOCK = frozenset("""năm tháng ngày tuần giờ phút giây quý thế tuổi lần độ""".split())
# Function words that end an indicator phrase, or cannot start one.
STOP = frozenset("""của ở tại với và trong được đã đang sẽ là có cho về thuộc từ đến trên dưới hơn gần
khoảng so theo nhưng nên thì mà này đó do bởi vì để khi sau trước nhằm cùng các những mỗi đều
hằng hàng chiếm đạt lên xuống còn tăng giảm bằng gồm như tuy rất cũng vẫn trở khác
năm tháng ngày qua nay""".split())
SUBJECT_LEADS = frozenset("số tổng lượng các những có toàn bộ riêng tỷ lệ".split())
NATIONAL = re.compile(r"(?i:toàn đảng(?! bộ)|cả nước|toàn quốc|bộ chính trị|ban bí thư|trung ương)")
MERGER_DATE = "2025-07-01"
NATIONAL_SENT = re.compile(r"(?i:toàn đảng(?! bộ)|cả nước|toàn quốc)")
RX_WORD_FIGURE = re.compile(
    r"(?=[hbstcm])(?<![\w])(?<!cả )(?<!Cả )(?P<num>(?:hai|ba|bốn|sáu|bảy|tám|chín|mười)(?:\s+mươi(?:\s+(?:mốt|hai|ba|bốn|tư|lăm|sáu|bảy|tám|chín))?)?)"
    r"\s+(?=(?i:đảng bộ|chi bộ|đảng viên|tổ chức cơ sở đảng|tổ chức đảng|cấp ủy viên)\b)")


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict, dict, list]:
    """(synonym lookup key → (key, label), acronym → expansion, synonym keys longest first)."""
    syn, acr = {}, {}
    path = reference_path("indicators.csv")
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["type"] == "acronym":
                    acr[row["synonym"]] = row["label"]
                if row["key"]:
                    syn[lookup_key(expand_with(row["synonym"], {}))] = (row["key"], row["label"])
    return syn, acr, sorted(syn, key=len, reverse=True)


def expand_with(s: str, acronyms: dict) -> str:
    """Acronyms written out: 'TCCSĐ yếu kém' → 'tổ chức cơ sở đảng yếu kém'."""
    if not acronyms:
        return s
    rx = _acronym_rx(tuple(sorted(acronyms, key=len, reverse=True)))
    return rx.sub(lambda m: acronyms[m[0]], s)


@lru_cache(maxsize=4)
def _acronym_rx(shorts: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(map(re.escape, shorts)))


def expand_acronyms(s: str) -> str:
    return expand_with(s, _lexicon()[1])


@lru_cache(maxsize=1)
def _by_first_word() -> dict[str, list[str]]:
    """Synonym keys grouped by their first word, longest first (for prefix matching)."""
    out: dict[str, list[str]] = {}
    for syn in _lexicon()[2]:
        out.setdefault(syn.split(" ", 1)[0], []).append(syn)
    return out


def _strip_tail(key: str) -> str:
    return re.sub(r"\s+(?:của|trong|tại|ở|trên|thuộc)\s.*$", "", key).strip(" ,.;")


def indicator_key(indicator: str) -> str | None:
    """Canonical key of an indicator phrase through indicators.csv: 'TCCSĐ' → 'to_chuc_co_so_dang'."""
    if not isinstance(indicator, str) or not indicator.strip():
        return None
    syn = _lexicon()[0]
    key = lookup_key(expand_acronyms(indicator.strip()))
    key = re.sub(r"^(?:tỷ lệ|số lượng|số|tổng số)\s+", "", key)
    for k in (key, _strip_tail(key), key.replace(" - ", " ")):
        if k in syn:
            return syn[k][0]
    folded = _folded_index()
    return folded.get(fold(key)) or folded.get(fold(_strip_tail(key)))


@lru_cache(maxsize=1)
def _folded_index() -> dict[str, str]:
    """Synonyms and canonical keys without diacritics ('dang vien', 'dang_vien') → key."""
    out = {}
    for k, (key, _label) in _lexicon()[0].items():
        out.setdefault(fold(k), key)
        out.setdefault(key, key)
    return out


# ------------------------------------------------------------------ figure candidates
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
    if (prev and prev[-1] in PREV_BLOCK) or " ".join(prev) in PREV_BLOCK_2:
        return False
    if m["pct"]:
        return True
    if _after_name(text, start):
        return False
    nxt = _next_word(text, end)
    if not nxt or not nxt[0].isalpha():
        return _clause_total(text, start, end, prev)
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


# ------------------------------------------------------------------ text geometry
def sentence_breaks(text: str) -> list[int]:
    """Offsets just after each sentence end ('.' between digits does not end one)."""
    return [m.end() for m in _SENT_BREAK.finditer(text)]


def sentence_bounds(text: str, pos: int, breaks: list[int] | None = None) -> tuple[int, int]:
    """Start/end of the sentence around pos."""
    breaks = sentence_breaks(text) if breaks is None else breaks
    i = bisect.bisect_right(breaks, pos)
    return (breaks[i - 1] if i else 0), (breaks[i] if i < len(breaks) else len(text))


def clause_start(text: str, sent_start: int, pos: int) -> int:
    """Start of the clause (after the last ';', ':' or '(' ) holding pos."""
    cut = max(text.rfind(c, sent_start, pos) for c in ";:(")
    return cut + 1 if cut >= 0 else sent_start


# ------------------------------------------------------------------ indicator
def _lexicon_match(phrase: str) -> int:
    """Length (in characters of `phrase`) of the longest synonym at its start, or 0."""
    head = phrase[:80].lstrip()
    first = lookup_key(expand_acronyms(head.split(" ", 1)[0] if head else "")).split(" ", 1)[0]
    if first not in _by_first_word():
        return 0
    key = lookup_key(expand_acronyms(phrase[:160]))
    for syn in _by_first_word()[first]:
        if key.startswith(syn) and (len(key) == len(syn) or not key[len(syn)].isalnum()):
            return _chars_for_words(phrase, len(syn.split()))
    return 0


def _chars_for_words(phrase: str, n_words: int) -> int:
    """Characters of phrase covering its first n words (acronyms count as their expansion)."""
    acr = _lexicon()[1]
    count, pos = 0, 0
    for m in re.finditer(r"\S+", phrase):
        w = m.group().strip(",.;")
        count += len(acr[w].split()) if w in acr else 1
        pos = m.start() + len(w)
        if count >= n_words:
            return pos
    return pos


RX_RATING = re.compile(
    r"\s+(?:được\s+)?(?:(?:xếp loại|đánh giá|công nhận)(?:\s+là)?\s+)?"
    r"(hoàn thành (?:xuất sắc |tốt )?nhiệm vụ(?: trở lên)?|không hoàn thành nhiệm vụ|trong sạch,? vững mạnh(?: tiêu biểu)?"
    r"|yếu kém|mới kết nạp|dự bị|chính thức)(?!\w)", re.IGNORECASE)


def noun_phrase(text: str, start: int, limit: int = 4) -> tuple[str, int]:
    """(indicator, end offset) for the words from start: a known indicator, else up to
    `limit` words stopping at function words and punctuation."""
    while start < len(text) and text[start] in " \t":
        start += 1
    window = text[start:start + 120]
    window = re.split(r"[,;:.()\"“”?!\n]|\s[-–]\s", window, maxsplit=1)[0]
    known = _lexicon_match(window) or (len("ngày công") if lookup_key(window).startswith("ngày công") else 0)
    if known:
        rating = RX_RATING.match(window, known)
        if rating:
            return expand_acronyms(window[:known]) + " " + rating[1], start + rating.end()
        return expand_acronyms(window[:known]), start + known
    words = []
    for m in re.finditer(r"\S+", window):
        w = m.group()
        if lookup_key(w) in STOP or not w[0].isalpha() or len(words) >= limit:
            break
        words.append(m)
    if not words:
        return "", start
    return expand_acronyms(window[:words[-1].end()]), start + words[-1].end()


RX_TIME_WORDS = re.compile(r"(?i:(?:hằng|hàng|mỗi|cuối|đầu|trong)\s+)?(?i:năm|tháng|ngày|quý)\s*(?:\d{1,2}\s*[-/.]\s*)?(?:(?:19|20)\d{2})?")
RX_RATE_OF = re.compile(r"(?i:tỷ lệ|tỉ lệ)\s+(?!này|trên|đó\b)(.+)$")
RX_COUNT_OF = re.compile(r"(?<![Mm]ột )(?<!\w)(?i:tổng số|số lượng|số)\s+(?!\d)(.+)$")
RX_COUNT_CUT = re.compile(r"\s(?:là|đạt|chiếm|lên|còn|tuy|chỉ|tăng|giảm|hiện|bình quân)(?:\s|$)|[,(]")
RX_RATE_CUT = re.compile(r"\s(?:của|trong(?! sạch)|tại|ở|thuộc|đạt|là|chiếm|lên|xuống|còn|tăng|giảm|bình quân|đều|hằng|so|toàn|năm|cao|thấp|nâng|hiện)(?:\s|$)|[,(]")
RX_GENERIC_CUT = re.compile(r"\s(?:của|trong|tại|ở|thuộc|đạt|là|chiếm|lên|xuống|còn|tăng|giảm|bình quân|đều|hằng|so|tuy|chỉ|đã|được)(?:\s|$)|[,(]")


def _last_known(segment: str) -> str:
    """The last indicator of two or more words named in a segment ('giảm TCCSĐ yếu kém dưới')."""
    for m in reversed(list(re.finditer(r"(?<!\w)\w", segment))):
        n = _lexicon_match(segment[m.start():])
        phrase = segment[m.start():m.start() + n]
        if n and len(expand_acronyms(phrase).split()) >= 2:
            return expand_acronyms(phrase)
    return ""


def _subject_phrase(segment: str) -> str:
    """Indicator named before a figure: 'tỷ lệ X đạt', 'Số X chiếm', 'giảm TCCSĐ yếu kém dưới',
    'các chỉ tiêu ... đạt'."""
    segment = RX_TIME_WORDS.sub(" ", segment).strip()
    m = RX_RATE_OF.search(segment)
    if m:
        cut = RX_RATE_CUT.split(m[1] + " ", maxsplit=1)[0].strip()
        known = m[1][:_lexicon_match(m[1])]
        best = known if len(known) >= len(cut) else cut
        if best:
            return expand_acronyms(best)
    m = RX_COUNT_OF.search(segment)
    if m:
        cut = RX_COUNT_CUT.split(m[1] + " ", maxsplit=1)[0].strip()
        if 0 < len(cut.split()) <= 12:
            return expand_acronyms(cut)
    known = _last_known(segment)
    if known:
        return known
    words = segment.split()
    while words and (lookup_key(words[0]) in SUBJECT_LEADS | STOP or not words[0][0].isalpha()):
        words.pop(0)
    phrase = " ".join(words)
    cut = RX_GENERIC_CUT.split(phrase + " ", maxsplit=1)[0].strip()
    return expand_acronyms(cut) if 0 < len(cut.split()) <= 14 else ""


def percent_indicator(text: str, m: re.Match, clause_from: int, prev: dict | None) -> str:
    """What a share is of: the phrase after 'N%', else the subject before it, else the
    previous figure's indicator in the same sentence."""
    after, _ = noun_phrase(text, m.end(), limit=6)
    before = text[clause_from:m.start()]
    if re.search(r"(?i:chiếm|bằng|tương đương)\s*$", before) or lookup_key(after).startswith(("tổng", "so ")):
        after = ""
    if after:
        return after
    if prev and re.search(r"(?i:trong (?:số )?(?:đó|này))\s*$", before):
        return prev["indicator"]
    segment = re.sub(r"(?i:\s*(?:đạt|là|chiếm|lên|xuống còn|còn|tăng|giảm|từ|trên|hơn|gần|khoảng|dưới|tới|đến|bằng)\s*)+$", "", before)
    found = _subject_phrase(segment.strip()) if segment.strip() else ""
    if found and not re.search(r"(?i:tỷ lệ|tỉ lệ)\s+(?:này|đó)\b", segment):
        return found
    return prev["indicator"] if prev else ""


# ------------------------------------------------------------------ qualifier / period
def qualifier(text: str, m: re.Match, clause_from: int, end: int) -> str:
    before = text[max(clause_from, m.start() - 40):m.start()]
    if RX_FROM_UP.search(before) and RX_UP_AFTER.match(text, end):
        return "gt"
    if RX_TARGET.search(text[clause_from:m.start()]):
        return "target"
    for name, rx in QUALIFIER_BEFORE:
        if rx.search(before):
            return name
    return "exact"


_Y = r"(?:19|20)\d{2}"
RX_TIME = re.compile(
    r"(?=[NnTtGgKkHhĐđCc])(?:"
    # a running total since the start of the term: 'Từ đầu nhiệm kỳ (2020-2025) đến nay /
    # đến tháng 10/2022' states no single period
    rf"(?P<run>(?i:từ đầu nhiệm kỳ)(?:\s*(?:[IVXL]{{1,5}}\s*)?\(?\s*{_Y}\s*[-–]\s*{_Y}\)?)?"
    rf"(?:\s*,?\s*(?i:đến|tới)\s+(?:(?i:nay|hết|cuối)\s*)?(?:(?i:tháng)\s+\d{{1,2}}\s*[-/.]\s*{_Y}|(?i:năm)\s+{_Y})?)?)"
    # a span of months within one year: 'từ tháng 7 đến tháng 9-2025' → the year
    rf"|(?P<mrange>(?:(?i:từ)\s+)?(?i:tháng)\s+\d{{1,2}}\s*(?:(?i:đến|tới)|[-–])\s*(?:(?i:hết)\s+)?"
    rf"(?i:tháng)\s+\d{{1,2}}\s*[-/.]\s*(?P<mr_y>{_Y})(?!\d))"
    rf"|(?P<date>(?i:ngày)\s+(?P<d_d>\d{{1,2}})\s*[-/.]\s*(?P<d_m>\d{{1,2}})\s*[-/.]\s*(?P<d_y>{_Y})(?!\d))"
    rf"|(?P<month>(?i:tháng)\s+(?P<m_m>\d{{1,2}})\s*[-/.]\s*(?P<m_y>{_Y})(?!\d))"
    # 'nhiệm kỳ 2020-2025' → 2020/2025; 'đầu nhiệm kỳ 2020-2025' → 2020, 'cuối ...' → 2025
    rf"|(?P<term>(?:(?P<edge>(?i:đầu|cuối))\s+)?(?:(?i:nhiệm kỳ|giai đoạn|khóa|khoá)\s*(?:[IVXL]{{1,5}}\s*)?\(?|(?i:năm)\s*\()"
    rf"\s*(?P<t_a>{_Y})\s*[-–]\s*(?P<t_b>{_Y})(?!\d))"
    rf"|(?P<year>(?i:năm)\s+(?P<y_y>{_Y})(?![\d-]))"
    r"|(?P<day>(?i:ngày)\s+(?P<dd_d>\d{1,2})\s*[-/]\s*(?P<dd_m>\d{1,2})(?!\s*[-/.]\s*\d|\d))"
    r"|(?P<bare_month>(?<!\d\s)(?i:tháng)\s+(?P<bm_m>\d{1,2})(?!\d|\s*[-/.]\s*\d|\s*(?i:năm|đến|tới|-|–)))"
    r"|(?P<now>(?i:hiện nay|hiện có|hiện tại|đến nay|tính đến nay|hiện\s+(?=có|đang))))")


def _period_text(m: re.Match, year: str | None) -> str | None:
    if m["mrange"]:
        return m["mr_y"]
    if m["date"]:
        return f"{m['d_y']}-{int(m['d_m']):02d}-{int(m['d_d']):02d}"
    if m["month"]:
        return f"{m['m_y']}-{int(m['m_m']):02d}"
    if m["term"]:
        edge = (m["edge"] or "").lower()
        if edge:
            from_here = re.search(r"(?i:từ)\s*$", m.string[max(0, m.start() - 6):m.start()])
            return None if from_here else (m["t_a"] if edge == "đầu" else m["t_b"])
        return f"{m['t_a']}/{m['t_b']}"
    if m["year"]:
        return m["y_y"]
    if m["bare_month"]:   # 'Đến giữa tháng 9, ...': the month of the publication year
        return f"{year}-{int(m['bm_m']):02d}" if year and 1 <= int(m["bm_m"]) <= 12 else None
    return f"{year}-{int(m['dd_m']):02d}-{int(m['dd_d']):02d}" if m["day"] and year else None


RX_ISSUE_GAP_AFTER = re.compile(r"\s*(?:\([^)]{0,30}\)\s*)?,?\s*(?:được\s+)?(?:ban hành\s+)?$")
RX_ISSUE_GAP_BEFORE = re.compile(r"[^.;!?\n]{0,100}ban hành\s+$")


def _near_directive(text: str, a: int, b: int, spans: list[tuple[int, int]], full_date: bool) -> bool:
    """Inside a document mention, or (for a full date) its date of issue: '... 11-ĐA/TU
    ngày 6/12/2021' or 'Ngày 25-6-2012, ... ban hành Hướng dẫn ...'."""
    for s, e in spans:
        if s <= a < e:
            return True
        if full_date and e <= a <= e + 40 and RX_ISSUE_GAP_AFTER.match(text[e:a].replace("ngày", "")):
            return True
        if full_date and b <= s <= b + 100 and RX_ISSUE_GAP_BEFORE.match(text[b:s]):
            return True
    return False


def time_anchors(text: str, skip: list[tuple[int, int]], published: str | None) -> list[tuple[int, int, str, str]]:
    """(start, end, period, source) for every time expression, in text order; source is
    'text', 'published' for 'hiện nay' / 'đến nay' read against the publication date, or
    'running' (period None) for a running total 'từ đầu nhiệm kỳ đến nay'."""
    out = []
    year = published[:4] if published and re.match(r"\d{4}-\d{2}", published) else None
    for m in RX_TIME.finditer(text):
        if m["run"]:
            out.append((m.start(), m.end(), None, "running"))
            continue
        if m["now"]:
            if year:
                out.append((m.start(), m.end(), published[:7], "published"))
            continue
        period = _period_text(m, year)
        if period and not _near_directive(text, m.start(), m.end(), skip, bool(m["date"] or m["day"])):
            out.append((m.start(), m.end(), period, "text"))
    return out


def _in_closed_paren(text: str, s0: int, a: int, pos: int) -> bool:
    """True when offset a sits in a parenthesis holding its own figure that closes before pos:
    '(năm 2015 là 0,5%)' (not '(tháng 9-2017)')."""
    opened = text.rfind("(", s0, a)
    if opened == -1 or text.find(")", opened, a) != -1:
        return False
    closed = text.find(")", a, pos)
    inner = text[opened:closed]
    return closed != -1 and ("%" in inner or bool(re.search(r"\s(?:là|có|đạt)\s+\d", inner)))


AFTER_MAX_WORDS = 15   # syllables: a time expression after a figure is its own only this close, in one phrase
RX_OPENER = re.compile(r"(?i:năm)\s+(?:19|20)\d{2}\s*,")


def _pick_before(anchors: list) -> tuple[str | None, str | None] | None:
    """Nearest stated time (or running total), else nearest 'hiện nay', among ``anchors``."""
    for sources in (("text", "running"), ("published",)):
        for a in reversed(anchors):
            if a[3] in sources:
                return a[2], a[3]
    return None


def _close_after(text: str, anchors: list, i: int, end: int, limit: int,
                 far_now: bool = False) -> tuple | None:
    """The first time expression after the figure (ending at ``end``) and before ``limit``
    that closes the same phrase (at most AFTER_MAX_WORDS words, no comma between) and is not
    a point of comparison ('so với năm 2020'); with ``far_now``, also a later 'đến nay'."""
    for a in anchors[i:]:
        if a[0] >= limit:
            break
        if a[0] < end:
            continue
        gap = text[end:a[0]]
        if len(gap.split()) > AFTER_MAX_WORDS or re.search(r"[,;:]", gap):
            if far_now and a[3] == "published":   # '...; đến nay ...' speaks for the sentence
                return a[2], a[3]
            continue
        if not RX_COMPARE_BEFORE.search(text[max(0, a[0] - 12):a[0]]):
            return a[2], a[3]
    return None


def _carried(text: str, anchors: list, i: int, s0: int) -> tuple[str | None, str | None] | None:
    """'Năm 2021, ... . <figure without a time>': a year that opens an earlier sentence of
    the same paragraph frames the sentences after it (when no other time is stated between)."""
    para = text.rfind("\n", 0, s0) + 1
    for a in reversed(anchors[:i]):
        if a[0] >= s0:
            continue
        if a[0] < para or a[3] != "text" or not RX_OPENER.match(text, a[0]):
            return None
        lead = max(para, a[0] - 20)
        head = text[lead:a[0]]
        at_start = re.search(r"(?:[.!?…]\s+|^)(?:(?i:trong|riêng|cả)\s+)?$", head)
        if at_start and (at_start.start() > 0 or lead == para):
            return a[2], "text"
        return None
    return None


def period_for(text: str, anchors: list, starts: list[int], s0: int, pos: int, s1: int,
               c0: int | None = None, end: int | None = None) -> tuple[str | None, str | None]:
    """The time a figure holds for, as the text states it:
    1. the nearest time expression before it in its clause ('...; năm 2023 có 12 chi bộ');
    2. one right after it in its clause ('kết nạp 1.146 đảng viên trong giai đoạn 2019-2023');
    3. the nearest before it in the sentence, then one close after it in the sentence;
    4. a year opening an earlier sentence of the paragraph ('Năm 2021, ... . Cuộc thi thu hút
       hơn 35 nghìn lượt người').
    A running total ('Từ đầu nhiệm kỳ đến tháng 10/2022') gives (None, 'running')."""
    c0 = s0 if c0 is None else c0
    end = pos if end is None else end
    i = bisect.bisect_left(starts, pos)
    before = [a for a in anchors[:i] if a[0] >= s0 and not _in_closed_paren(text, s0, a[0], pos)]
    clause_end = min([k for k in (text.find(";", end, s1),) if k != -1] or [s1])
    found = (_pick_before([a for a in before if a[0] >= c0])
             or _close_after(text, anchors, i, end, clause_end)
             or _pick_before(before)
             or _close_after(text, anchors, i, end, s1, far_now=True)
             or _carried(text, anchors, i, s0))
    return found or (None, None)


# ------------------------------------------------------------------ subject / locality
def _places(entities: list[dict]) -> list[dict]:
    return sorted((e for e in entities or [] if isinstance(e, dict) and e.get("label") in ("ORG", "LOC")
                   and isinstance(e.get("start"), int)), key=lambda e: e["start"])


def subject_entity(text: str, ents: list[dict], s0: int, start: int, end: int) -> dict | None:
    """'... của <X>' right after the figure, else the first body/place of the sentence before it
    (central bodies such as 'Bộ Chính trị' issue documents; they are not the subject)."""
    for e in ents:
        if end <= e["start"] <= end + 50:
            between = text[end:e["start"]]
            if not re.search(r"\d", between) and re.search(r"(?:của|thuộc|ở|tại|trên địa bàn)\s+$", between):
                return e
    before = [e for e in ents if s0 <= e["start"] and e["end"] <= start
              and not NATIONAL.search(e.get("text", ""))]
    return before[0] if before else None


def _provinces(name: str) -> tuple[str | None, str | None]:
    try:
        from nlp import gazetteer
        return gazetteer.province_of(name)
    except Exception:  # the gazetteer is optional here: fall back to the article
        return (None, None)


def _merged(province: str | None) -> str | None:
    try:
        from nlp import gazetteer
        return gazetteer.merged_province(province) or province
    except Exception:
        return province


def locality_of(entity: dict | None, doc_province: str | None, merged: bool = False) -> str | None:
    """Province of a subject entity, else the article's province; named as at the time of
    the article (after the 2025 merger when `merged`)."""
    if entity is not None and NATIONAL.search(entity.get("text", "")):
        return None
    then, after = (entity.get("province"), entity.get("province_2025")) if entity else (None, None)
    if entity is not None and not then:
        then, after = _provinces(entity.get("norm") or entity.get("text", ""))
    if not merged:
        return then or doc_province
    return after or _merged(then) or _merged(doc_province)


def after_merger(published: str | None) -> bool:
    """Articles from 1 July 2025 name provinces as merged."""
    return bool(published) and str(published)[:10] >= MERGER_DATE


# ------------------------------------------------------------------ assembly
def _candidates(text: str, blocked: list[tuple[int, int]]) -> list[tuple[re.Match, float | None]]:
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


def _value(m: re.Match) -> float | None:
    if "num" in m.groupdict() and m.re is RX_WORD_FIGURE:
        return numbers.parse_words(m["num"])
    v = numbers.parse_digits(m["num"])
    mult = numbers.MULTIPLIERS.get((m.groupdict().get("mult") or "").lower(), 1)
    return None if v is None else v * mult


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(v, 6)


def _antecedent(text: str, s0: int, pos: int, prev: dict | None) -> dict | None:
    """The figure a share or bare number refers back to: the previous one in the sentence,
    or the one before 'tỷ lệ này' in the sentence before."""
    if prev and prev["start"] >= s0:
        return prev
    if prev and pos - prev["end"] < 400 and re.search(r"(?i:tỷ lệ|tỉ lệ)\s+(?:này|đó)\b", text[s0:pos]):
        return prev
    return None


def _count_indicator(text: str, m: re.Match, c0: int, before: dict | None) -> tuple[str, int]:
    """(indicator, end of the figure's span) for a count: the words after it, else what the
    clause counts ('Số X ... là 214'), else the previous figure's indicator."""
    indicator, end = noun_phrase(text, m.end())
    if lookup_key(indicator) == "đồng chí" or not indicator:
        indicator = _subject_phrase(text[c0:m.start()]) or indicator
    if not indicator and before:
        indicator = before["indicator"]
    return indicator, end


def _subject(text: str, m: re.Match, end: int, s0: int, ctx: dict, near: dict | None) -> tuple:
    """(subject, locality): the entity the figure is about, else the previous figure's, else
    the article's province (none for 'toàn Đảng', 'cả nước')."""
    if NATIONAL_SENT.search(text[s0:m.start()]):
        return None, None
    ent = subject_entity(text, ctx["ents"], s0, m.start(), end)
    if ent is not None:
        return ent.get("norm") or ent["text"], locality_of(ent, ctx["province"], ctx["merged"])
    if near:
        return near["subject"], near["locality"]
    return ctx["province"], locality_of(None, ctx["province"], ctx["merged"])


def describe(text: str, m: re.Match, partner: re.Match | None, prev: dict | None,
             ctx: dict) -> dict | None:
    """One contract figure for a candidate match, or None when it cannot be described."""
    value = _value(m)
    is_word = m.re is RX_WORD_FIGURE
    pct = bool(not is_word and (m["pct"] or (partner and partner["pct"])))
    s0, s1 = sentence_bounds(text, m.start(), ctx["breaks"])
    c0 = clause_start(text, s0, m.start())
    before = _antecedent(text, s0, m.start(), prev)
    if pct:
        indicator, end = percent_indicator(text, partner or m, c0, before), m.end()
    else:
        indicator, end = _count_indicator(text, partner or m, c0, before)
        end = m.end() if partner else end
    if value is None or not (indicator or pct):
        return None
    near = ctx["main"] if ctx["main"] and m.start() - ctx["main"]["end"] < 700 else None
    period, source = period_for(text, ctx["anchors"], ctx["anchor_starts"], s0, m.start(), s1, c0, end)
    if period is None and source is None and near:
        period, source = near["period"], near["period_source"]
        if source == "published" and period:
            period = period[:4]    # 'hiện có' dates its own sentence; what follows, the year
    subject, locality = _subject(text, m, end, s0, ctx, near)
    item = {"text": text[m.start():end], "start": m.start(), "end": end, "value": _number(value),
            "unit": "percent" if pct else "count", "qualifier": qualifier(text, m, c0, end),
            "indicator": indicator or None, "subject": subject, "locality": locality,
            "period": period, "indicator_key": indicator_key(indicator) if indicator else None,
            "period_source": source if period else None}
    if not is_word and m["den"]:
        item["denominator"] = _number(numbers.parse_digits(m["den"]))
    return item


def find_metrics(text: str, sentences: list[tuple[int, int]], entities: list[dict],
                 directives: list[dict], published: str | None = None,
                 doc_province: str | None = None) -> list[dict]:
    """Contract figure dicts in text order; [] for empty or unusable input.

    `sentences` is accepted for the shared signature; sentence limits are recomputed here so
    that a '.' inside '481.406' never splits a figure from its context."""
    if not isinstance(text, str) or not text.strip():
        return []
    blocked = [(d["start"], d["end"]) for d in directives or []
               if isinstance(d, dict) and isinstance(d.get("start"), int)]
    anchors = time_anchors(text, blocked, published if isinstance(published, str) else None)
    ctx = {"ents": _places(entities), "province": doc_province, "anchors": anchors,
           "breaks": sentence_breaks(text),
           "merged": after_merger(published if isinstance(published, str) else None),
           "anchor_starts": [a[0] for a in anchors], "main": None}
    out, prev = [], None
    for m, partner in _candidates(text, blocked):
        item = describe(text, m, partner, prev, ctx)
        if item:
            out.append(item)
            prev = item
            if text.rfind("(", 0, item["start"]) <= text.rfind(")", 0, item["start"]):
                ctx["main"] = item
    return out
