"""The time a figure holds for: time expressions in the text, the page's date line, the
publication date, and which of them governs a figure."""
from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from nlp.clauses import headline_end, in_parens, short_headline_end


class TimeAnchor(NamedTuple):
    """A time expression: its span, the period it states (None for a running total) and where
    the period comes from: 'text', 'published' ('hiện nay' read against the publication date),
    'running' ('từ đầu nhiệm kỳ đến nay'), 'baseline' (a point of comparison: 'so với cuối năm
    2017' dates only a figure stated for it) or 'governing' ('tính đến ngày 10-9-2018, ...':
    it dates its whole sentence and frames the paragraph)."""
    start: int
    end: int
    period: str | None
    source: str


RX_COMPARE_BEFORE = re.compile(r"(?i:so với|so|từ|trước)\s+(?:cùng kỳ\s+)?$")


_Y = r"(?:19|20)\d{2}"
_NOW_VERBS = r"(?:có|đang|vẫn|còn|lãnh đạo|quản lý|duy trì|chiếm|là|gồm|sinh hoạt|theo dõi)\b"
_PREWORD = re.compile(r"(?i:thực|phát|thể|xuất|biểu|hiển|trình|tái|hiện|ẩn)\s*$")   # compounds ending in 'hiện'
REORGANISED = "2025-07"        # the two-level local government took effect on 1 July 2025
RX_TIME = re.compile(
    r"(?=[NnTtGgKkHhĐđCcQqSsDd])(?:"
    # a running total since the start of the term: 'Từ đầu nhiệm kỳ (2020-2025) đến nay /
    # đến tháng 10/2022' states no single period
    rf"(?P<run>(?i:từ đầu nhiệm kỳ)(?:\s*(?:[IVXL]{{1,5}}\s*)?\(?\s*(?P<r_a>{_Y})\s*[-–]\s*(?P<r_b>{_Y})\)?)?"
    rf"(?:\s*,?\s*(?i:đến|tới)\s+(?:(?i:nay|hết|cuối)\s*)?(?:(?i:tháng)\s+\d{{1,2}}\s*[-/.]\s*{_Y}|(?i:năm)\s+{_Y})?)?)"
    # a flow since the start of the year or a day until now or a later day: 'Từ đầu năm 2019 đến
    # hết tháng 10', 'Từ ngày 1/7 đến nay', 'từ đầu năm đến ngày 31/8/2023' → the year
    rf"|(?P<since>(?i:(?:kể\s+)?từ\s+(?:đầu năm(?:\s+(?P<s_y1>{_Y}))?|ngày\s+\d{{1,2}}\s*[-/.]\s*\d{{1,2}}(?:\s*[-/.]\s*(?P<s_y2>{_Y}))?"
    r"|(?:khi|sau khi)\s+(?:được\s+)?(?:thành lập|sáp nhập|hợp nhất|sắp xếp|đi vào hoạt động)))"
    rf"\s*(?i:đến|tới)\s+(?:(?i:nay|hết|cuối)\b\s*)?(?:(?i:ngày|tháng)\s+[\d/.-]+\d|(?i:năm)\s+{_Y}|(?i:quý)\s+[IV\d]+(?:\s*[-/]\s*{_Y})?)?)"
    # a day opening a sentence: 'Sáng 1/9, ...', 'Ngày 20/8, ...' (the year of publication)
    r"|(?P<event_day>(?<![\w,] )(?:Sáng|Chiều|Tối|Trưa|Đêm|Ngày|Hôm nay \(|Sáng nay \()\s*(?:\(?\s*)?(?P<e_d>\d{1,2})\s*[-/]\s*(?P<e_m>\d{1,2})(?!\s*[-/.]\s*\d|\d)\)?\s*,)"
    # a span of months within one year: 'từ tháng 7 đến tháng 9-2025' → the year
    rf"|(?P<mrange>(?:(?i:từ)\s+)?(?i:tháng)\s+\d{{1,2}}\s*(?:(?i:đến|tới)|[-–])\s*(?:(?i:hết)\s+)?"
    rf"(?i:tháng)\s+\d{{1,2}}\s*[-/.]\s*(?P<mr_y>{_Y})(?!\d))"
    rf"|(?P<date>(?i:ngày)\s+(?P<d_d>\d{{1,2}})\s*[-/.]\s*(?P<d_m>\d{{1,2}})\s*[-/.]\s*(?P<d_y>{_Y})(?!\d))"
    rf"|(?P<month>(?i:tháng)\s+(?P<m_m>\d{{1,2}})\s*[-/.]\s*(?P<m_y>{_Y})(?!\d))"
    # 'nhiệm kỳ 2020-2025' → 2020/2025; 'đầu nhiệm kỳ 2020-2025' → 2020, 'cuối ...' → 2025
    rf"|(?P<term>(?:(?P<edge>(?i:đầu|cuối))\s+)?(?:(?i:nhiệm kỳ|giai đoạn|khóa|khoá)\s*(?:[IVXL]{{1,5}}\s*)?\(?|(?i:năm)\s*\()"
    rf"\s*(?P<t_a>{_Y})\s*[-–]\s*(?P<t_b>{_Y})(?!\d))"
    # 'quý I/2013', 'quý II năm 2024' → the quarter's last month; '6 tháng đầu năm (2019)' → 2019-06
    rf"|(?P<quarter>(?i:quý)\s+(?P<q_q>IV|I{{1,3}}|[1-4])(?:\s*[-/.]\s*|\s+(?i:năm)\s+)(?P<q_y>{_Y})(?!\d))"
    rf"|(?P<months>(?<=[\da-zà-ỹ] )(?i:tháng)(?:\s+(?i:đầu năm)(?:\s+(?P<mo_y>{_Y})(?!\d))?"
    rf"|\s+(?i:năm)\s+(?P<mo_y2>{_Y})(?!\d)|(?=\s*,)))"
    # 'trong 9 tháng đã xóa tên ...': the months of the publication year so far
    r"|(?P<months_in>(?:(?<=(?i:trong) \d )|(?<=(?i:trong) \d\d ))(?i:tháng)(?=\s+(?!(?i:tới|sau|tiếp|nữa|qua|liền|liên tục)\b)))"
    rf"|(?P<half>(?i:nửa đầu năm)(?:\s+(?P<h_y>{_Y})(?!\d))?)"
    # 'trong quý', 'cũng trong quý' without a number: the quarter named before
    r"|(?P<same_q>(?i:trong quý)(?!\s*(?:I|V|\d)))"
    # 'Nhiệm kỳ tới', 'nhiệm kỳ mới': the term of the congress named before
    r"|(?P<next_term>(?i:nhiệm kỳ (?:tới|mới|này)|kh[oó][aá] mới)(?!\s*\(?\s*(?:19|20)\d{2}))"
    # 'Tính chung cả nhiệm kỳ', 'trong nhiệm kỳ qua': the term named before, else the one just ended
    r"|(?P<whole_term>(?i:(?:cả|toàn|suốt|trọn)\s+nhiệm kỳ|nhiệm kỳ qua)(?!\s*\(?\s*(?:[IVXL]{1,5}\s*)?(?:19|20)\d{2}))"
    # '10 tháng qua' in an article of November: the months of the year so far (2025-10)
    r"|(?P<months_past>(?<=\d )(?i:tháng qua))"
    # 'Năm qua, ...' in a review: the year under review
    r"|(?P<last_year>(?i:năm qua)(?!\s*\d))"
    # 'Ngay sau hợp nhất' in an article after the 2025 reorganisation: its month (2025-07)
    r"|(?P<after_merger>(?i:ngay sau (?:khi\s+)?(?:hợp nhất|sáp nhập|sắp xếp)))"
    rf"|(?P<year>(?i:năm)\s+(?P<y_y>{_Y})(?![\d-]))"
    # 'Dịp 2/9 vừa qua, ...', 'Dịp 3/2 năm nay, ...' opening a sentence: that day (not '... Huy hiệu
    # Đảng dịp 3/2' naming a round)
    r"|(?P<occasion>(?<![\w,] )(?:Dịp|Nhân dịp)\s+(?P<oc_d>\d{1,2})\s*[-/]\s*(?P<oc_m>\d{1,2})(?![\d/.-])"
    r"(?:\s+(?i:năm nay|vừa qua))?)"
    r"|(?P<day>(?i:ngày)\s+(?P<dd_d>\d{1,2})\s*[-/]\s*(?P<dd_m>\d{1,2})(?!\s*[-/.]\s*\d|\d))"
    r"|(?P<bare_month>(?<!\d\s)(?i:tháng)\s+(?P<bm_m>\d{1,2})(?!\d|\s*[-/.]\s*\d|\s*(?i:năm|đến|tới|-|–)))"
    # 'Kể từ đầu năm', 'Cũng trong năm': the year of publication
    r"|(?P<this_year>(?i:(?:kể\s+)?từ đầu năm(?:\s+(?:nay|đến nay))?|(?:cũng\s+)?trong năm(?:\s+nay)?(?!\s+(?:19|20)\d{2})|năm nay"
    r"|đến (?:hết|cuối) năm(?!\s+(?:19|20)\d{2})|(?<!chỉ tiêu )(?<!kế hoạch )cả năm(?!\s+(?:19|20)\d{2})))"
    r"|(?P<now>(?i:hiện nay|hiện tại|đến nay|tính đến nay|hiện có)|Hiện(?=\s)"
    # 'hiện' as 'now' before what a body has or does ('..., hiện lãnh đạo 64 tổ chức đảng'; '...; hiện
    # Đảng bộ phường có ...' opening a clause), not inside a word ('thực hiện có hiệu quả')
    rf"|hiện(?=\s+{_NOW_VERBS})|(?<=[,;:] )hiện(?=\s)))")


_QUARTER_END = {"I": 3, "II": 6, "III": 9, "IV": 12, "1": 3, "2": 6, "3": 9, "4": 12}
_MONTHS = {"3": 3, "6": 6, "9": 9, "ba": 3, "sáu": 6, "chín": 9}


RX_FLOW_END = re.compile(
    rf"(?i:đến|tới)\s+(?:(?P<now>nay)|(?:hết\s+|cuối\s+)?(?:ngày\s+(?P<d>\d{{1,2}})\s*[-/.]\s*(?P<m>\d{{1,2}})"
    rf"(?:\s*[-/.]\s*(?P<y>{_Y}))?|tháng\s+(?P<mm>\d{{1,2}})(?:\s*[-/.]\s*(?P<my>{_Y}))?"
    rf"|quý\s+(?P<q>IV|I{{1,3}}|[1-4])(?:\s*[-/.]\s*(?P<qy>{_Y}))?)"
    rf"|(?:thời điểm|ngày)\s+(?P<back>trên|đó|này|nói trên)\b)", re.IGNORECASE)


def _flow_end(text: str, m: re.Match, year: str | None, published: str | None,
              earlier: list) -> tuple[str, str] | None:
    """A flow's period is its end, when the text gives one (contract: a date governs what it
    dates; dev_real r006 'tính đến ngày 30-6, đã kết nạp 288 đảng viên' → 2022-06-30):
    'từ đầu năm đến ngày 15/8/2025' → 2025-08-15, '... đến hết tháng 10' → YYYY-10, '... đến thời
    điểm trên' → the date stated before; else None ('... đến nay' keeps the year). The
    end dates the flow's own sentence (and its breakdown), not the paragraphs after it."""
    cut = re.search(r"(?i:đến|tới)\s", m[0])
    e = RX_FLOW_END.match(text, m.start() + cut.start()) if cut else None
    if not e:
        return None
    if e["now"]:
        return None        # 'từ đầu năm 2025 đến nay': the year (as a flow without an end)
    if e["back"]:
        prev = next((a for a in reversed(earlier) if a.source == "governing" and a.period), None)
        return (prev.period, "text") if prev else None
    if e["d"]:
        y = e["y"] or year
        return (f"{y}-{int(e['m']):02d}-{int(e['d']):02d}", "text") if y and 1 <= int(e["m"]) <= 12 else None
    if e["mm"]:
        y = e["my"] or year
        return (f"{y}-{int(e['mm']):02d}", "text") if y and 1 <= int(e["mm"]) <= 12 else None
    if e["q"]:
        y = e["qy"] or year
        return (f"{y}-{_QUARTER_END[e['q'].upper()]:02d}", "text") if y else None
    return None


def _period_text(m: re.Match, year: str | None) -> str | None:
    if m["quarter"]:
        return f"{m['q_y']}-{_QUARTER_END[m['q_q'].upper()]:02d}"
    if m["months"]:
        head = m.string[max(0, m.start() - 20):m.start()]
        n = re.search(r"(\w+)\s+$", head)
        if "năm" not in m[0].lower() and not re.search(r"(?:^|\n|(?i:trong|sơ kết|tổng kết|báo cáo)\s+)\w+\s+$", head):
            return None     # '9 tháng,' names the months of a year only after 'trong' or opening a line
        y = m["mo_y"] or m["mo_y2"] or year
        months = (_MONTHS.get(n[1].lower()) or (int(n[1]) if n[1].isdigit() and 1 <= int(n[1]) <= 12 else None)) if n else None
        return f"{y}-{months:02d}" if y and months else None
    if m["half"]:
        y = m["h_y"] or year
        return f"{y}-06" if y else None
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


RX_YEAR_HINT = re.compile(r"(?i:năm)\s+((?:19|20)\d{2})(?!\d)")


def year_hint(text: str, published: str | None) -> str | None:
    """The year that dates 'ngày 30-6' or 'tháng 9' without a year: the publication year,
    else the first year the text names ('chỉ tiêu năm 2022')."""
    if published and re.match(r"\d{4}", published):
        return published[:4]
    m = RX_YEAR_HINT.search(text)
    return m[1] if m else None


def _year_in_focus(text: str, m: re.Match, earlier: list, year: str | None) -> str | None:
    """'Trong năm', 'Cũng trong năm': the year the text named last before it (not a point of
    comparison such as 'so với cuối năm 2017', nor a target's year), when that is not
    after the publication year (a review of 2025 published in January 2026: 'Năm 2025 ...
    Trong năm, kết nạp 41 ...'); else ('năm nay', 'từ đầu năm', or no year named) the
    publication year."""
    if re.match(r"(?i:(?:cũng\s+)?trong năm)(?!\s+nay)", m[0]):
        named = next((a.period for a in reversed(earlier) if re.fullmatch(r"\d{4}", a.period or "")
                      and a.source == "text" and re.match(r"(?i:năm)", text[a.start:a.end])), None)
        if named and (not year or named <= year):
            return named
    return year


REVIEW_MONTHS = 3   # a year's results are told until March of the next (reviews close in Dec-Feb)


def review_year(text: str, earlier: list, published: str | None) -> str | None:
    """The year under review ('Năm qua, ...', a rating without a year): the last year named
    before ('năm 2025', not 'năm nay', not an aside in parentheses nor a target's year) that is
    not after publication, else the year before publication until March, else the
    publication year."""
    for a in reversed(earlier):
        if a.source == "text" and re.fullmatch(r"\d{4}", a.period or "") and (published is None or a.period <= published[:4]) \
                and RX_YEAR_AT.match(text, a.start) and not in_parens(text, a.start):
            return a.period
    if not published or not re.match(r"\d{4}-\d{2}", published):
        return None
    return str(int(published[:4]) - 1) if int(published[5:7]) <= REVIEW_MONTHS else published[:4]


def _past_term(earlier: list, published: str | None) -> str | None:
    """'cả nhiệm kỳ', 'nhiệm kỳ qua': the last term named before that has ended by publication,
    else the term before the one running at publication."""
    y = int(published[:4]) if published else None
    for a in reversed(earlier):
        if not re.fullmatch(r"\d{4}/\d{4}", a.period or ""):
            continue
        if y is None or int(a.period[5:]) <= y:
            return a.period
        if int(a.period[:4]) <= y:     # the congress of the new term: the past term ends at its start
            return f"{int(a.period[:4]) - 5}/{a.period[:4]}"
    if not published:
        return None
    start = int(current_term(published)[:4])
    return f"{start - 5}/{start}" if y >= start else None


def current_term(published: str) -> str:
    """The party term running on a date: congresses of every level fall in the five years
    ending in 0 and 5 (2015-2020, 2020-2025, 2025-2030), the last ones (the provinces') by
    October of the congress year, so '2022-07-09' → '2020/2025' and '2025-07-25' → '2020/2025'."""
    y, mo = int(published[:4]), int(published[5:7])
    start = y - y % 5 if y % 5 or mo >= 10 else y - 5
    return f"{start}/{start + 5}"


def time_anchors(text: str, skip: list[tuple[int, int]], published: str | None) -> list[TimeAnchor]:
    """(start, end, period, source) for every time expression, in text order; source is
    'text', 'published' for 'hiện nay' / 'đến nay' read against the publication date, or
    'running' (period None) for a running total 'từ đầu nhiệm kỳ đến nay'."""
    out = []
    year = year_hint(text, published)
    has_date = bool(published and re.match(r"\d{4}-\d{2}", published))
    for m in RX_TIME.finditer(text):
        if m["run"]:   # since the start of a named term: the term; of an unnamed one: the
            # term running at publication (every party committee's term is the same five years),
            # else no period
            term = f"{m['r_a']}/{m['r_b']}" if m["r_a"] else (current_term(published) if has_date else None)
            out.append(TimeAnchor(m.start(), m.end(), term, "text" if term else "running"))
            continue
        if m["since"]:
            y = m["s_y1"] or m["s_y2"] or year
            end = _flow_end(text, m, y, published if has_date else None, out)
            if end:
                out.append(TimeAnchor(m.start(), m.end(), *end))
            elif y:
                out.append(TimeAnchor(m.start(), m.end(), y, "text"))
            continue
        if m["next_term"]:
            t = max((a for a in out if re.fullmatch(r"\d{4}/\d{4}", a.period or "")),
                    key=lambda a: a.period, default=None)     # the latest term named: the coming one
            if t:
                out.append(TimeAnchor(m.start(), m.end(), t.period, "text"))
            continue
        if m["same_q"]:
            q = next((a for a in reversed(out) if re.fullmatch(r"\d{4}-(?:03|06|09|12)", a.period or "")
                      and re.match(r"(?i:quý)", text[a.start:a.end])), None)
            if q:
                out.append(TimeAnchor(m.start(), m.end(), q.period, "text"))
            continue
        if m["event_day"]:
            if year:
                out.append(TimeAnchor(m.start(), m.end(), f"{year}-{int(m['e_m']):02d}-{int(m['e_d']):02d}",
                                      "governing"))
            continue
        if m["this_year"]:
            y = _year_in_focus(text, m, out, year)
            if y:
                out.append(TimeAnchor(m.start(), m.end(), y, "text"))
            continue
        if m["whole_term"]:
            t = _past_term(out, published if has_date else None)
            if t:
                out.append(TimeAnchor(m.start(), m.end(), t, "text"))
            continue
        if m["months_past"]:
            k = re.search(r"(?<![\d,.])(\d{1,2})\s$", text[max(0, m.start() - 4):m.start()])
            n = int(k[1]) if k else 0
            if has_date and n in (int(published[5:7]) - 1, int(published[5:7])) and 1 <= n <= 12:
                out.append(TimeAnchor(m.start(), m.end(), f"{published[:4]}-{n:02d}", "text"))
            continue
        if m["occasion"]:
            if year and 1 <= int(m["oc_m"]) <= 12 and 1 <= int(m["oc_d"]) <= 31:
                out.append(TimeAnchor(m.start(), m.end(), f"{year}-{int(m['oc_m']):02d}-{int(m['oc_d']):02d}", "text"))
            continue
        if m["months_in"]:
            k = re.search(r"(\d{1,2})\s$", text[max(0, m.start() - 4):m.start()])
            n = int(k[1]) if k else 0
            if has_date and 1 <= n <= int(published[5:7]):
                out.append(TimeAnchor(m.start(), m.end(), f"{published[:4]}-{n:02d}", "text"))
            continue
        if m["last_year"]:
            y = review_year(text, out, published if has_date else None)
            if y:
                out.append(TimeAnchor(m.start(), m.end(), y, "text"))
            continue
        if m["after_merger"]:
            if has_date and REORGANISED <= published[:7] < "2027":
                out.append(TimeAnchor(m.start(), m.end(), REORGANISED, "text"))
            continue
        if m["now"]:
            if m[0].lower().startswith("hiện") and _PREWORD.search(text, max(0, m.start() - 8), m.start()):
                continue
            if has_date:
                out.append(TimeAnchor(m.start(), m.end(), published[:10], "published"))
            continue
        if m["year"] and has_date and m["y_y"] < published[:4] and re.search(r"(?i:\btừ)\s+$", text[max(0, m.start() - 5):m.start()]) \
                and re.match(r"\s*(?i:đến|tới)\s+nay", text[m.end():m.end() + 12]):
            continue   # 'Từ năm 2021 đến nay, ... luân chuyển 46 cán bộ' (in 2023): a running total, now
        period = _period_text(m, year)
        if period and not _near_directive(text, m.start(), m.end(), skip, bool(m["date"] or m["day"])):
            out.append(TimeAnchor(m.start(), m.end(), period, _kind(text, m.start())))
    return out


RX_BASELINE = re.compile(r"(?i:thời điểm\s+(?:cuối|đầu|hết)?\s*$)|(?i:so với|so|hơn|bằng)\s+(?:(?:cùng kỳ|thời điểm|tổng số[^,;()]{0,30}?|số đảng viên[^,;()]{0,20}?)\s+)?"
                         r"(?:(?:tại|vào)\s+(?:thời điểm\s+)?)?(?:(?i:cuối|đầu|hết)\s+)?$")
RX_GOVERNING = re.compile(r"(?i:tính đến|tính tới|đến hết|tới hết|tính đến hết|tính từ đầu năm đến|đến)\s+(?:(?i:hết|cuối|ngày)\s+)?$")


RX_OF_TARGET = re.compile(r"(?i:chỉ tiêu|kế hoạch|mục tiêu|nghị quyết|chương trình)\s*(?:(?i:đề ra|được giao|của)\s*)?$"
                          r"|(?i:(?:triển khai|phương hướng|đề ra)(?:[\s,]+\w+){0,2}?[\s,]+nhiệm vụ)\s*$")   # 'triển khai nhiệm vụ năm 2024


def _kind(text: str, start: int) -> str:
    """'baseline' for a point of comparison or the year of a target ('35% chỉ tiêu năm 2022':
    it names the target, not when the share holds), 'governing' for 'tính đến ...', else 'text'."""
    head = text[max(0, start - 60):start]
    if RX_BASELINE.search(head):
        return "baseline"
    if RX_OF_TARGET.search(head):
        return "target"
    if RX_GOVERNING.search(head):
        return "governing"
    return "text"


# The page's own date line, kept in the text by some extractions: 'Cập nhật lúc 22:38, Thứ Hai,
# 08/10/2018', '16:29, Thứ Hai, 22/07/2019 (GMT+7)', '- 16/10/2020 02:48:00 AM'.
RX_DATELINE = re.compile(
    r"(?m)^(?=[^\n]{0,100}$)[^\n]{0,45}?(?<![\d/.-])(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>(?:19|20)\d{2})(?![\d/.-])[^\n]{0,45}$")
RX_DATELINE_CUE = re.compile(r"(?i:\d{1,2}:\d{2}|thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ nhật|cập nhật|ngày đăng|đăng lúc|gmt|^\s*[-–]\s)")
DATELINE_WITHIN = 600   # characters: a date line sits in the page head, before the body


def dateline(text: str) -> str | None:
    """ISO date of the page's date line near the top of the text, else None."""
    for m in RX_DATELINE.finditer(text, 0, min(len(text), DATELINE_WITHIN + 100)):
        if m.start() > DATELINE_WITHIN:
            break
        if not RX_DATELINE_CUE.search(m.group()):
            continue
        d, mo = int(m["d"]), int(m["m"])
        if 1 <= d <= 31 and 1 <= mo <= 12:
            return f"{m['y']}-{mo:02d}-{d:02d}"
    return None


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
RX_LAST_YEAR_OPENS = re.compile(r"(?i:năm qua)\s*,")
RX_YEAR_AT = re.compile(r"(?i:năm)\s+(?:19|20)\d{2}(?!\d)")
RX_OPENER = re.compile(r"(?i:năm)\s+(?:19|20)\d{2}\s*(?:,|(?=\s+(?:có|toàn|các|cả)\s))")
# '6 tháng đầu năm 2019, ...', 'Trong 9 tháng năm 2025, ...', 'Quý I/2024, ...' opening a clause
RX_MONTHS_OPENER = re.compile(r"(?:\d{1,2}|ba|sáu|chín)\s+$", re.IGNORECASE)


def _pick_before(anchors: list) -> tuple[str | None, str | None] | None:
    """Nearest stated time (or running total), else nearest 'hiện nay', among ``anchors``."""
    for sources in (("text", "governing", "target", "running"), ("published",)):
        for a in reversed(anchors):
            if a.source in sources:
                return a.period, a.source
    return None


def _close_after(text: str, anchors: list, i: int, end: int, limit: int,
                 far_now: bool = False) -> tuple | None:
    """The first time expression after the figure (ending at ``end``) and before ``limit``
    that closes the same phrase (at most AFTER_MAX_WORDS words, no comma between) and is not
    a point of comparison ('so với năm 2020'); with ``far_now``, also a later 'đến nay'."""
    for a in anchors[i:]:
        if a.start >= limit:
            break
        if a.start < end:
            continue
        gap = text[end:a.start]
        if a.source == "target":
            continue
        if len(gap.split()) > AFTER_MAX_WORDS or re.search(r"[,;:(]", gap):
            if far_now and a.source == "published":   # '...; đến nay ...' speaks for the sentence
                return a.period, a.source
            continue
        if a.source != "baseline" and not RX_COMPARE_BEFORE.search(text[max(0, a.start - 12):a.start]):
            return a.period, a.source
    return None


def _governing_after(anchors: list, i: int, s1: int) -> tuple[str | None, str | None] | None:
    """'...; tính đến ngày 01/3/2017, tổng số ...': a governing date later in the sentence."""
    for a in anchors[i:]:
        if a.start >= s1:
            break
        if a.source == "governing":
            return a.period, "text"
    return None


def _carried(text: str, anchors: list, i: int, s0: int, flow: bool = False,
             stock_dates: frozenset = frozenset()) -> tuple[str | None, str | None] | None:
    """'Năm 2021, ... . <figure without a time>': a year that opens a sentence or clause
    ('Năm 2022, ...', '..., năm 2019, toàn tỉnh ...'), or a governing date ('Tính đến ngày ...'),
    frames what follows, across sentences and paragraphs, until another time is stated."""
    for a in reversed(anchors[:i]):
        if a.source == "published" and a.start < s0 and _in_sentence_before(text, a.start, s0):
            return None   # '... hiện có 74 chi bộ ... . Trong khi đó, ... 41 chi bộ': now, not the earlier date
        if a.start >= s0 or a.source in ("baseline", "published", "running", "target") or "/" in (a.period or ""):
            continue   # a term ('Đại hội ..., nhiệm kỳ 2025-2030') dates only its own sentence
        if in_parens(text, a.start):
            continue   # '(năm 2019 là 21,7%)': an aside
        if RX_MONTHS_PAST_AT.match(text, a.start):
            return None   # '9 tháng qua, ...' dates its sentence; the next one's stock holds now
        if a.source == "governing" and flow and a.period in stock_dates \
                and RX_GOVERNING.search(text, max(0, a.start - 60), a.start):
            # 'Tính đến ngày 30-6-2019, ... có 13.826 đảng viên. ... kỷ luật 8 đảng viên': the date of
            # a stock only (not 'tính đến ngày 30-6, đã kết nạp 288 ...', nor 'Đến ngày 15/4, ... đã
            # hoàn thành việc học tập ...'), not the flow's
            return None
        if (a.source == "governing" or _opens(text, a)) and paragraphs_between(text, a.end, s0) <= FRAME_PARAGRAPHS:
            return a.period, "text"
        if _in_governed_sentence(text, anchors, a):
            continue   # 'Sáng 7/11, ... tổ chức Lễ trao Huy hiệu Đảng đợt 7/11 năm 2025. ...': the day frames
        return None
    return None


def _in_governed_sentence(text: str, anchors: list, a) -> bool:
    """``a`` lies in a sentence that a governing date opens ('Sáng 7/11, ...')."""
    para = text.rfind("\n", 0, a.start) + 1
    ends = [m.end() for m in re.finditer(r"[.!?…]\s", text[para:a.start])]
    start = para + (ends[-1] if ends else 0)
    return any(g.source == "governing" and start <= g.start < a.start and text[start:g.start].strip() == ""
               for g in anchors)


RX_MONTHS_PAST_AT = re.compile(r"(?i:tháng qua)")


def _in_sentence_before(text: str, a: int, s0: int) -> bool:
    """``a`` lies in the sentence right before the one starting at ``s0``, same paragraph."""
    gap = text[a:s0]
    return "\n" not in gap and len(re.findall(r"[.!?…](?:\s|$)", gap)) <= 1


def paragraphs_between(text: str, a: int, b: int) -> int:
    """Long paragraphs strictly between offsets a and b (a frame reaches the next paragraphs,
    not far beyond: a later paragraph tells of something else)."""
    first, last = text.find("\n", a, b), text.rfind("\n", a, b)
    if first == -1:
        return 0
    return sum(1 for p in text[first:last].split("\n") if len(p.strip()) >= LONG_PARAGRAPH)


def _opens(text: str, a: TimeAnchor) -> bool:
    """The anchor opens its sentence or a clause: 'Năm 2021,', '(Trong) năm 2019,', '6 tháng
    đầu năm 2019,' after a sentence start or a comma."""
    if re.fullmatch(r"\d{4}-\d{2}", a.period or "") and re.match(r"\s*,", text[a.end:a.end + 3]):
        head = text[max(0, a.start - 30):a.start]
        count = RX_MONTHS_OPENER.search(head)
        lead = head[:count.start()] if count else head
        return bool(re.search(r"(?:[.!?…:\n,]\s*|^)(?:(?i:trong|cũng trong|riêng)\s+)?$", lead))
    if RX_LAST_YEAR_OPENS.match(text, a.start):
        return bool(re.search(r"(?:[.!?…:\n]\s*|^)(?:(?i:trong|cũng trong)\s+)?$", text[max(0, a.start - 20):a.start]))
    if not RX_YEAR_AT.match(text, a.start):
        return False
    para = text.rfind("\n", 0, a.start) + 1
    if not re.search(r"[.!?…;,]", text[para:a.start]):     # 'Kết quả đánh giá năm 2012 cho thấy, ...'
        return True
    if not RX_OPENER.match(text, a.start):
        return False
    head = text[max(0, a.start - 20):a.start]
    return bool(re.search(r"(?:[.!?…:\n,]\s*|^)(?:(?i:trong|riêng|cả|và)\s+)?$", head))


def _nearest_now(text: str, before: list, c0: int, pos: int) -> tuple[str | None, str | None] | None:
    """'..., hiện có 1.240 đảng viên': a 'hiện' right before the figure in its phrase (no comma
    between) speaks for it, whatever date the sentence names earlier."""
    if before and before[-1].source == "published" and before[-1].start >= c0 \
            and not re.search(r"[,;:]", text[before[-1].end:pos]):
        return before[-1].period, before[-1].source
    return None


RX_CONGRESS = re.compile(r"(?<![Qq]uyết )(?i:đại hội)|(?i:\bbầu\b)")   # not 'Nghị quyết Đại hội ...'


RX_REPRESENTED = re.compile(r"(?i:đại diện cho|thay mặt cho)")   # '... đại biểu, thay mặt cho 186.000 đảng viên': that day's members


def _congress_term(text: str, anchors: list, s0: int, s1: int, pos: int | None = None) -> tuple[str | None, str | None] | None:
    """'... đã được bầu vào ban chấp hành ...; các đại hội này cũng bầu ra 267 đại biểu ...,
    nhiệm kỳ 2020 - 2025': congress results hold for the term the sentence names (when no time
    is stated before the figure and no 'hiện' stands right before it)."""
    if pos is not None and RX_REPRESENTED.search(text, s0, pos):
        return None
    if RX_AFTER_CONGRESS.search(text, s0, pos if pos is not None else s1):
        return None    # 'Sau Đại hội ..., nhiệm kỳ 2025 - 2030, Đảng ủy xã đã ... cho 100% cán bộ': what came after it
    if not RX_CONGRESS.search(text, s0, s1):
        # 'Về dự có 438 đại biểu chính thức, ...' under a congress's headline: its term
        if pos is None or not RX_ATTENDING.search(text, s0, pos) or not RX_DELEGATES.match(text, pos):
            return None
        head = headline_end(text)
        terms = [a for a in anchors if a.start < max(head, 0) and "/" in (a.period or "")] \
            if head > 0 and RX_CONGRESS.search(text, 0, head) else []
        return (terms[0].period, "text") if len({a.period for a in terms}) == 1 else None
    terms = [a for a in anchors if s0 <= a.start < s1 and a.source == "text" and "/" in (a.period or "")]
    if not terms and RX_ELECTED.search(text, s0, s1):   # 'Đại hội đã bầu 29 đồng chí ...': the congress's term
        head = headline_end(text)
        terms = [a for a in anchors if a.start < max(head, 0) and "/" in (a.period or "")] \
            if head > 0 and RX_CONGRESS.search(text, 0, head) else []
    return (terms[0].period, "text") if len({a.period for a in terms}) == 1 else None


RX_AFTER_CONGRESS = re.compile(r"(?i:\bsau\s+(?:khi\s+)?(?:tổ chức\s+)?đại hội)")
RX_ELECTED = re.compile(r"(?i:\bbầu\b|trúng cử|dự đại hội có)")      # results, and who sat in the congress
RX_ATTENDING = re.compile(r"(?i:\bdự\s+(?:có|gồm))\s+(?:\S+\s+){0,2}$")
RX_DELEGATES = re.compile(r"[\d.,]+\s+(?:vị\s+)?đại biểu")


RX_FROM_TO = re.compile(r"\s*,?\s*(?i:xuống|lên)\b")


def _from_side(text: str, a, pos: int) -> bool:
    """'giảm từ 17 thôn năm 2015 xuống còn 2 thôn': the year dates the starting figure, not the
    one it moved to."""
    return bool(RX_FROM_TO.match(text, a.end)) and a.end < pos and \
        bool(re.search(r"(?i:\btừ)\s+[\d.,]+", text[max(0, a.start - 60):a.start]))


def _own_baseline(text: str, a, pos: int) -> bool:
    """'so với năm 2015 là 51,4%', 'so với cuối năm 2023 (86.425 đảng viên)': the baseline's own
    figure follows it in the same phrase."""
    if RX_MORE_THAN.search(text, max(0, a.start - 30), a.start):
        return False    # 'nhiều hơn năm 2022 là 2.318 đảng viên': the difference, the main figure's time
    return bool(re.fullmatch(r"[\s,]*\(?\s*(?:là|có|đạt|chỉ có|mới có|chiếm)?\s*(?:hơn|gần|khoảng|trên)?\s*", text[a.end:pos]))


RX_MORE_THAN = re.compile(r"(?i:(?:nhiều|ít|cao|thấp|tăng|giảm)\s+hơn)\s+(?:(?i:cùng kỳ|so với)\s+)?$")


def period_for(text: str, anchors: list, starts: list[int], s0: int, pos: int, s1: int,
               c0: int | None = None, end: int | None = None, flow: bool = False,
               stock_dates: frozenset = frozenset()) -> tuple[str | None, str | None]:
    """The time a figure holds for, as the text states it:
    1. the nearest time expression before it in its clause ('...; năm 2023 có 12 chi bộ');
    2. one right after it in its clause ('kết nạp 1.146 đảng viên trong giai đoạn 2019-2023');
    3. the nearest before it in the sentence, then one close after it in the sentence;
    4. a year opening an earlier sentence of the paragraph ('Năm 2021, ... . Cuộc thi thu hút
       hơn 35 nghìn lượt người'), or a governing date (for a ``flow``, not one in ``stock_dates``:
       the dates that dated only stocks so far).
    A running total ('Từ đầu nhiệm kỳ đến tháng 10/2022') gives (None, 'running')."""
    c0 = s0 if c0 is None else c0
    end = pos if end is None else end
    i = bisect.bisect_left(starts, pos)
    before = [a for a in anchors[:i] if a.start >= s0 and not _in_closed_paren(text, s0, a.start, pos)
              and (a.source != "baseline" or _own_baseline(text, a, pos)) and not _from_side(text, a, pos)
              and not ("/" in (a.period or "") and RX_AFTER_CONGRESS.search(text, max(s0, a.start - 100), a.start))]
    clause_end = min([k for k in (text.find(";", end, s1),) if k != -1] or [s1])
    if before and before[-1].source == "baseline":     # 'so với năm 2015 là 51,4%': its own figure
        return before[-1].period, "text"
    stated = any(a.source in ("text", "governing", "target", "running") for a in before)
    now = _nearest_now(text, before, c0, pos)
    term = None if stated or now else _congress_term(text, anchors, s0, s1, pos)
    if term:
        return term
    found = ((_close_after(text, anchors, i, end, clause_end) or now) if now else None) or (
             _pick_before([a for a in before if a.start >= c0])
             or _close_after(text, anchors, i, end, clause_end)
             or _pick_before(before)
             or _governing_after(anchors, i, s1)
             or _close_after(text, anchors, i, end, s1, far_now=True)
             or _carried(text, anchors, i, s0, flow, stock_dates))
    return found or (None, None)


LONG_PARAGRAPH = 120   # characters: shorter paragraphs (an interview question, a caption) do not break a frame
FRAME_PARAGRAPHS = 1   # a frame ('Năm 2019, ...') reaches over at most this many long paragraphs (dev_real r009)



RX_HEADLINE_MONTHS = re.compile(rf"(?<![\d,.])(?P<n>\d{{1,2}}|(?i:ba|sáu|chín))\s+(?i:tháng)(?:\s+(?i:đầu năm))?(?:\s+(?:(?i:năm)\s+)?(?P<y>{_Y}))?"
                                r"(?!\s*(?i:tới|sau|tiếp|nữa|liền))")


def headline_period(text: str, anchors: list, published: str | None) -> str | None:
    """The one period a report's headline names ('Krông Pắc: 9 tháng thi hành kỷ luật 11 đảng
    viên', 'Quý I/2024, thành lập mới ...', 'Năm 2023, toàn Đảng kết nạp ...', 'Thu đảng phí năm
    2022 vượt kế hoạch'): a year or the months of a year, else None."""
    cut = short_headline_end(text)
    if cut <= 0:
        return None
    found = {a.period for a in anchors if a.end <= cut and a.source == "text"
             and re.fullmatch(r"\d{4}(?:-\d{2})?", a.period or "") and re.search(r"\d", text[a.start:a.end])}
    if not found and published and re.match(r"\d{4}-\d{2}", published):
        m = RX_HEADLINE_MONTHS.search(text, 0, cut)
        n = (_MONTHS.get(m["n"].lower()) or int(m["n"]) if not m["n"].isdigit() else int(m["n"])) if m else 0
        if m and 1 <= n <= 12 and (m["y"] or n <= int(published[5:7])):
            found = {f"{m['y'] or published[:4]}-{n:02d}"}
    return found.pop() if len(found) == 1 else None

