"""Figures about party bodies and places: '969 đảng viên', 'gần 15 nghìn đảng viên', '0,7%',
'15/18 chi bộ', with qualifier, indicator, subject, locality, period, scope and measure.

This module assembles one contract figure per candidate number; each concern has its own
module: ``figure_candidates`` (which numbers are figures, value, qualifier), ``indicators``
(what is counted), ``periods`` (when), ``localities`` (about whom, where, at which level),
``measures`` (what kind of quantity), ``clauses`` (sentence and clause limits).
"""
from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass, field

from nlp import numbers
from nlp.clauses import clause_start, headline_end, sentence_bounds, sentence_breaks, short_headline_end
from nlp.figure_candidates import RX_WORD_FIGURE, candidates, number, qualifier, value_of
from nlp.indicators import RX_COUNT_OF, indicator_key, lookup_key, noun_phrase, percent_indicator, subject_phrase
from nlp.localities import (NATIONAL_SENT, RX_BARE_BODY, REGION, Locus, locality_of, main_body, places,
                            scope_in_sentence, scope_of_name, subject_entity)
from nlp.measures import is_change, last_cue, measure_of
from nlp.periods import FRAME_PARAGRAPHS, headline_period, review_year, RX_GOVERNING, RX_MONTHS_PAST_AT, RX_OPENER, RX_REPRESENTED, TimeAnchor, paragraphs_between, period_for, time_anchors

__all__ = ["find_metrics", "indicator_key"]

MAIN_REACH = 700      # characters: a figure without its own subject/time borrows the last main figure's this close
SHARED_REACH = 160    # characters after a figure to the 'đều' of a predicate coordinated figures share
RX_SHARED_PREDICATE = re.compile(r"\sđều\s")
OWN_WORDS = 70        # characters after a figure read for its measure, up to , ; or ( ('... mới được kết nạp')
# where a figure's own words end: ; ( a comma (not a decimal one: '90,6%'; not one inside a list of unit kinds: '34/34 đảng bộ
# tỉnh, thành phố đã tổ chức xong đại hội'), 'và', 'đồng thời', 'rồi'
RX_OWN_END = re.compile(r"[;(]|,(?!(?<=\d,)\d)(?!\s*(?:thành phố|phường|thị trấn|đặc khu|xã|huyện|quận|thị xã|tỉnh)(?!\w))"
                        r"|\s(?:và|đồng thời|rồi)\s(?!\d)")


@dataclass
class FigureContext:
    """What every figure of one article is described against."""
    text: str
    ents: list[dict]
    province: str | None                 # the article's main province, as named at its time
    merged: bool                         # the article is from after the 2025 merger
    published: str | None                # publication date (input, else the page's date line)
    anchors: list[TimeAnchor]
    breaks: list[int]
    anchor_starts: list[int] = field(default_factory=list)
    main: dict | None = None             # the last figure outside parentheses (subject/time carrier)
    body: dict | None = None             # the body the article is about, if not a territory
    level: dict | None = None            # the last figure that is not a net change ('tăng 12 ...')
    prev_change: bool = False            # the previous figure is a net change
    national: bool = False               # a national outlet's article about no one province

    headline_period: str | None = None   # the one period the headline names ('9 tháng ...')
    headline_cut: int = -1               # where the headline ends
    flow_periods: set = field(default_factory=set)   # the periods of the flows described so far
    stock_periods: set = field(default_factory=set)  # and of the stocks

    def __post_init__(self) -> None:
        self.anchor_starts = [a.start for a in self.anchors]


def _antecedent(text: str, s0: int, pos: int, prev: dict | None) -> dict | None:
    """The figure a share or bare number refers back to: the previous one in the sentence,
    or the one before 'tỷ lệ này' in the sentence before."""
    if prev and prev["start"] >= s0:
        return prev
    if prev and pos - prev["end"] < 400 and re.search(r"(?i:tỷ lệ|tỉ lệ)\s+(?:này|đó)\b", text[s0:pos]):
        return prev
    return None


def _without_entities(text: str, a: int, b: int, ents: list[dict]) -> str:
    """text[a:b] without the bodies and places in it ('21 đồng chí, huyện Nghi Lộc 15 đồng chí':
    the list goes on)."""
    out, pos = [], a
    for e in ents:
        if e["start"] >= b:
            break
        if e["start"] >= pos and e["end"] <= b:
            out.append(text[pos:e["start"]])
            pos = e["end"]
    out.append(text[pos:b])
    return " ".join(out)


RX_REFERS_BACK = re.compile(r"\s*(?i:trong (?:số )?(?:đó|này)|trong đó|gồm|bao gồm|cụ thể)")


def _measure_carrier(text: str, pos: int, s0: int, prev: dict | None, main: dict | None) -> dict | None:
    """The figure whose measure an enumerated one shares: the previous figure of the sentence
    (not behind a ';'), or, outside parentheses, the last figure outside them ('755 TCCSĐ
    (tăng 3 ...), trong đó có 386 ...' shares 755's, not the change's)."""
    if not prev or prev["start"] < s0:
        return None
    semi = text.rfind(";", prev["end"], pos)
    if semi != -1 and not RX_REFERS_BACK.match(text, semi + 1):
        return None         # '...; đảng viên nữ chiếm 38,6%' starts afresh, '...; trong số này có ...' does not
    inside = text.rfind("(", 0, pos) > text.rfind(")", 0, pos)
    if not inside and main is not None and main["start"] >= s0 and text.rfind(")", prev["end"], pos) != -1:
        return main
    return prev


def _count_indicator(text: str, m: re.Match, c0: int, before: dict | None) -> tuple[str, int]:
    """(indicator, end of the figure's span) for a count: the words after it, else what the
    clause counts ('Số X ... là 214'), else the previous figure's indicator."""
    elected = RX_ELECTED.match(text, m.end())
    if elected:     # '564 đồng chí đã được bầu vào ban chấp hành', '15 đồng chí giữ chức bí thư'
        body, role = elected["body"], elected["role"]
        return (f"ủy viên {body.lower()}" if body else role.lower()), elected.end("noun")
    indicator, end = noun_phrase(text, m.end())
    paired = RX_PAIRED_NUMBER.match(text, m.end()) if not indicator else None
    if paired:      # '662 trong số 686 tổ chức cơ sở đảng', '14.206 và 13.871 đảng viên'
        indicator = noun_phrase(text, paired.end())[0]
        return indicator or (before["indicator"] if before else ""), m.end()
    if lookup_key(indicator) in PERSON_NOUNS:
        seats = RX_COMMITTEE_OF.search(text[c0:m.start()])
        if seats:   # 'Ban Chấp hành Đảng bộ tỉnh khóa I gồm 75 đồng chí': its members
            return "ủy viên " + re.sub(r"\s+", " ", seats["body"]).strip(), end
        named = subject_phrase(text[c0:m.start()]) if RX_COUNT_OF.search(text[c0:m.start()]) else ""
        return named or _person_indicator(text, end, before, text[c0:end + 40]) or indicator, end
    if not indicator:
        indicator = subject_phrase(text[c0:m.start()]) or indicator
    if not indicator and before:
        indicator = before["indicator"]
    return indicator, end


RX_COMMITTEE_OF = re.compile(r"(?P<body>(?:Ban Chấp hành|Ban Thường vụ|Ủy ban Kiểm tra|Uỷ ban Kiểm tra)"
                             r"(?:\s+(?!gồm|có|khóa|khoá|nhiệm)[^\W\d]+){0,4})(?:\s+(?i:khóa|khoá)\s+(?:[IVXL\d]+|mới))?"
                             r"(?:\s*,?\s*(?i:nhiệm kỳ)\s+(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2})?"
                             r"\s+(?:gồm|có)\s+$")
RX_PAIRED_NUMBER = re.compile(r"\s+(?:trong số|và)\s+\d[\d.,]*")
# people elected to a committee or to an office: the indicator is the seat ('ủy viên ban chấp hành', 'bí thư')
RX_ELECTED = re.compile(
    r"\s+(?P<noun>(?i:đồng chí|người))\s+(?:(?i:đã|được|trúng cử|tái cử)\s+)*(?:(?i:bầu)\s+)?"
    r"(?:(?i:vào)\s+(?P<body>(?i:ban chấp hành|ban thường vụ|ủy ban kiểm tra|uỷ ban kiểm tra))"
    r"|(?i:giữ chức(?: vụ| danh)?|làm)\s+(?P<role>(?i:phó bí thư|bí thư|phó chủ nhiệm ủy ban kiểm tra|chủ nhiệm ủy ban kiểm tra)))(?!\w)")
PERSON_NOUNS = frozenset(("đồng chí", "người", "trường hợp"))
RX_IS_A = re.compile(r"\s+(?:là|thuộc)\s+")


RX_COMMITTEE = re.compile(r"(?i:ban chấp hành|ban thường vụ|cấp ủy|ủy viên|bí thư|đại biểu|ủy ban|ban chỉ đạo|"
                          r"tổ công tác|đoàn công tác|lãnh đạo|cán bộ|chức|bầu|điều động|luân chuyển)")


def _person_indicator(text: str, end: int, before: dict | None, clause: str = "") -> str:
    """'359 đồng chí là đảng viên nữ' → 'đảng viên nữ'; '14 đồng chí' in a list after '603 đảng
    viên mới' → the list head's indicator; else nothing (the caller keeps 'đồng chí')."""
    is_a = RX_IS_A.match(text, end)
    if is_a:
        named, _ = noun_phrase(text, is_a.end(), limit=6)
        if named:
            return named
    if before and before.get("indicator"):
        return before["indicator"]
    if lookup_key(text[end - len("đồng chí"):end]) == "đồng chí" and not RX_COMMITTEE.search(clause):
        return "đảng viên"   # '1.196 đồng chí hoàn thành xuất sắc nhiệm vụ'
    return ""                # 'Ban Chấp hành có 19 đồng chí': a committee's members


def _locus(ctx: FigureContext, m: re.Match, end: int, s0: int, near: dict | None) -> Locus:
    """The figure's subject, locality and scope: the entity it is about, else the previous main
    figure's, else the article's province ('toàn Đảng', 'cả nước': the country, no province)."""
    text = ctx.text
    stated = scope_in_sentence(text[s0:m.start()], ctx.province)
    if stated == "country" and (nat := _last_national(text, s0, m.start())) is not None:
        named = subject_entity(text, ctx.ents, nat, m.start(), end)
        if named is None or named.get("label") != "ORG" or scope_of_name(named.get("norm") or named["text"]) in (None, "country"):
            return Locus(None, None, "country")    # not '... toàn Đảng ...; trong đó Đảng bộ TP HCM kết nạp 9.820'
        stated = None
    c0 = clause_start(text, s0, m.start())
    in_clause = scope_in_sentence(text[c0:m.start()], ctx.province) if c0 > s0 else None
    ent = subject_entity(text, ctx.ents, s0, m.start(), end)
    if in_clause and (ent is None or ent["start"] < c0):      # '...; toàn quận kết nạp 231 ...'
        locality = locality_of(ent, ctx.province, ctx.merged) if ent else locality_of(None, ctx.province, ctx.merged)
        return Locus(ent.get("norm") or ent["text"] if ent else ctx.province, locality, in_clause)
    if ent is not None and ctx.body is not None and ent.get("label") == "ORG" \
            and RX_BARE_BODY_NAME.fullmatch((ent.get("norm") or ent["text"]).strip()):
        return _body_locus(ctx.body, ctx)       # 'Đảng ủy và Ủy ban Kiểm tra Đảng ủy xã đã ...'
    if ent is not None:
        locality = locality_of(ent, ctx.province, ctx.merged)
        name = ent.get("norm") or ent["text"]
        scope = scope_of_name(name, locality) if ent.get("label") == "ORG" else _loc_scope(ent, locality)
        if stated and (scope is None or _after(text, ent, m.start(), stated)):
            scope = stated
        if scope is None and locality and locality == ctx.province:
            scope = "province"     # 'Ủy ban kiểm tra các cấp', 'cấp ủy': the article's province
        return Locus(name, locality, scope)
    if REGION.search(text[s0:m.start()]):
        return Locus(None, None, None)
    body = ctx.body if RX_BARE_BODY.search(text[s0:m.start()]) else None
    if body is not None:                          # 'Đảng bộ gồm 66 TCCSĐ' in an article about one body
        return _body_locus(body, ctx)
    if stated:
        return Locus(ctx.province, ctx.province, stated)
    if near:
        return Locus(near["subject"], near["locality"], near.get("scope"))
    if ctx.body is not None:                      # the body the article is about
        return _body_locus(ctx.body, ctx)
    if ctx.national:
        return Locus(None, None, "country")      # 'các cấp ủy đã kết nạp 83.512 ...' in a national report
    return Locus(ctx.province, locality_of(None, ctx.province, ctx.merged), "province" if ctx.province else None)


# a party body named by its kind alone: in an article about one body, that body
RX_BARE_BODY_NAME = re.compile(r"(?i:đảng ủy|đảng uỷ|đảng bộ|cấp ủy|cấp uỷ|ban thường vụ|ban chấp hành|ủy ban kiểm tra"
                               r"|uỷ ban kiểm tra)")


def _last_national(text: str, a: int, b: int) -> int | None:
    """Where the last 'toàn Đảng', 'cả nước', 'toàn quốc' between a and b ends, if any."""
    found = [m.end() for m in NATIONAL_SENT.finditer(text, a, b)]
    return found[-1] if found else None


def _body_locus(body: dict, ctx: FigureContext) -> Locus:
    locality = locality_of(body, ctx.province, ctx.merged)
    name = body.get("norm") or body["text"]
    scope = scope_of_name(name, locality) if body.get("label") == "ORG" else _loc_scope(body, locality)
    return Locus(name, locality, scope)


def _after(text: str, ent: dict, pos: int, stated: str) -> bool:
    """'toàn tỉnh' said after the entity and before the figure overrides the entity's level."""
    return scope_in_sentence(text[ent["end"]:pos], None) is not None


def _loc_scope(ent: dict, locality: str | None) -> str | None:
    level = ent.get("level")
    if level in ("province", "district", "commune"):
        return level
    if level == "city":
        return scope_of_name("thành phố " + ent.get("text", ""), locality)
    return scope_of_name(ent.get("norm") or ent.get("text", ""), locality)


def _period(ctx: FigureContext, s0: int, pos: int, s1: int, c0: int, end: int,
            near: dict | None, measure: str | None) -> tuple[str | None, str | None]:
    """(period, where it came from): stated in the text, else carried from the last main
    figure nearby, else (for a flow) the period the headline names, else the publication date
    (contract v2: a figure without a time holds at publication); an award is its day's."""
    flow = measure != "total"
    stock_dates = frozenset(ctx.stock_periods - ctx.flow_periods) if flow else frozenset()
    period, source = period_for(ctx.text, ctx.anchors, ctx.anchor_starts, s0, pos, s1, c0, end, flow, stock_dates)
    if period is None and source is None and near and "\n" not in ctx.text[near["end"]:pos] \
            and not RX_REPRESENTED.search(ctx.text, s0, pos) and not _after_months_past(ctx, s0) \
            and not (flow and near["measure"] == "total" and len(near["period"] or "") == 10 and near["start"] < s0
                     and near["period"] not in ctx.flow_periods):
        # not '..., đại diện cho 3.540 đảng viên' (that day's), nor after '9 tháng qua, ...' (its sentence
        # only), nor a stock's day for a flow of a later sentence ('Tính đến ngày 31/12, ... có 90.210 ...
        # . Các huyện kết nạp 1.204 ...')
        period, source = near["period"], near["period_source"]
    if flow and ctx.headline_period and pos > ctx.headline_cut and measure != "awarded":
        period, source = _in_headline_frame(ctx, s0, pos, period, source)
    if period is None and source is None and ctx.published:
        period, source = ctx.published[:10], "published"
    return period, source


RX_SINCE_TO_DAY = re.compile(r"(?i:từ đầu năm)(?:\s+(?:19|20)\d{2})?\s+(?i:đến|tới)\s+(?i:hết\s+)?(?i:ngày\s+)?\d")


def _in_headline_frame(ctx: FigureContext, s0: int, pos: int, period: str | None,
                       source: str | None) -> tuple[str | None, str | None]:
    """A report whose headline names its period ('Krông Pắc: 9 tháng thi hành kỷ luật 11
    đảng viên', 'Quý I/2024, ...'): a flow of the body told with no time of its own holds for that
    period, and so does one told from the start of the year up to that period's last day ('Từ
    đầu năm đến ngày 30/9' under '... trong 9 tháng'). ('Từ đầu năm đến nay' keeps its year.)"""
    frame = ctx.headline_period
    if period is None and source is None:
        return frame, "text"
    if len(frame) == 7 and period and len(period) == 10 and period[:7] == frame and _month_end(period) \
            and RX_SINCE_TO_DAY.search(ctx.text, s0, pos):
        return frame, "text"
    return period, source


def _month_end(day: str) -> bool:
    y, m, d = int(day[:4]), int(day[5:7]), int(day[8:10])
    return 1 <= m <= 12 and d == calendar.monthrange(y, m)[1]


def _review_year(ctx: FigureContext, pos: int) -> str | None:
    """Ratings are a year's ('kết quả đánh giá, xếp loại chất lượng năm 2025'): a rating without a
    year stated for it holds for the year under review (``periods.review_year``)."""
    pub = ctx.published[:10] if ctx.published and re.match(r"\d{4}-\d{2}", ctx.published) else None
    return review_year(ctx.text, ctx.anchors[:bisect.bisect_left(ctx.anchor_starts, pos)], pub)


def _now_stated(ctx: FigureContext, c0: int, pos: int) -> bool:
    """A 'hiện', 'đến nay' stands in the figure's clause before it."""
    i = bisect.bisect_left(ctx.anchor_starts, pos)
    return any(a.source == "published" and a.start >= c0 for a in ctx.anchors[:i])


def _after_months_past(ctx: FigureContext, s0: int) -> bool:
    i = bisect.bisect_left(ctx.anchor_starts, s0)
    return bool(i) and bool(RX_MONTHS_PAST_AT.match(ctx.text, ctx.anchors[i - 1].start))


RX_LIST_ITEM = re.compile(r"(?:^|[;:\n])\s*[-–•+]\s*[^\d:;\n]{1,60}:\s*$")


def _list_head(text: str, s0: int, pos: int) -> int | None:
    """End of the head of the list whose item the figure at ``pos`` is ('... gồm: - Xã A: 24'),
    or None when the figure is no list item."""
    if not RX_LIST_ITEM.search(text, s0, pos):
        return None
    colon = re.search(r":\s*[-–•+]\s", text[s0:pos])
    return s0 + colon.start() if colon else None


RX_BULLET = re.compile(r"[ \t]*[-–•+][ \t]")
# what may name a list's item before its figure: places ('huyện Sơn Hà 4 tổ chức, ...')
LIST_PLACE_WORDS = frozenset("các và mỗi riêng huyện xã phường thị trấn quận tỉnh thành phố tp đặc khu".split())


def _list_measure(text: str, s0: int, from_: int, pos: int, own: str) -> str | None:
    """The measure of an item of a list that names its count in its head, when the item says
    none of its own: '... thi hành kỷ luật 11 đảng viên với các hình thức:\n- Khiển trách: 6 đảng
    viên;' (a bulleted list under a head ending with ':'), '... không hoàn thành nhiệm vụ tập trung ở
    miền núi: huyện Sơn Hà 4 tổ chức, huyện Ba Tơ 2 tổ chức' (items named by place after a colon)."""
    line = text.rfind("\n", 0, pos) + 1
    if RX_BULLET.match(text, line):
        head = _bullet_head(text, line)
        if head is None:
            return None
        label = text[line:pos]
        return last_cue((label + " " + own).lower()) or last_cue(text[head[0]:head[1]].lower())
    colon = text.rfind(":", s0, pos)
    if colon == -1 or last_cue(own.lower()):
        return None
    words = re.findall(r"[^\W\d]+", text[max(colon + 1, from_):pos])
    if not all(w[0].isupper() or w.lower() in LIST_PLACE_WORDS for w in words):
        return None
    return last_cue(text[s0:colon].lower())


def _bullet_head(text: str, line: int) -> tuple[int, int] | None:
    """The line that heads the bulleted list whose item starts at ``line``: the nearest line above
    that is no item, when it ends with ':'."""
    while line > 0:
        b = line - 1
        line = text.rfind("\n", 0, b) + 1
        if RX_BULLET.match(text, line):
            continue
        return (line, b) if text[line:b].rstrip().endswith(":") else None
    return None


RX_YEAR_STATED = re.compile(r"(?i:năm)\s+(?:19|20)\d{2}(?!\d)")


def _stock_at_governing_date(ctx: FigureContext, s0: int, c0: int, pos: int, period: str | None) -> str | None:
    """'Tính đến ngày 10-9-2018, ... . Kể từ đầu năm, ... kết nạp 2.270 đảng viên mới; nhờ đó,
    số đảng viên toàn tỉnh được nâng lên 78.047': a stock told within a year that a governing
    date frames holds at that date (the flows beside it keep the year)."""
    opener = RX_OPENER.match(ctx.text, s0 + len(ctx.text[s0:pos]) - len(ctx.text[s0:pos].lstrip()))
    if not period or len(period) != 4 or RX_YEAR_STATED.search(ctx.text, c0, pos) or opener:   # 'Năm 2025, ...; có 7 ...'
        return period
    for a in reversed(ctx.anchors[:bisect.bisect_left(ctx.anchor_starts, s0)]):
        if a.source == "governing" and RX_GOVERNING.search(ctx.text, max(0, a.start - 60), a.start):
            framed = paragraphs_between(ctx.text, a.end, s0) <= FRAME_PARAGRAPHS
            return a.period if framed and (a.period or "")[:4] == period and len(a.period) > 4 else period
    return period


def describe(m: re.Match, partner: re.Match | None, prev: dict | None, ctx: FigureContext) -> dict | None:
    """One contract figure for a candidate match, or None when it cannot be described."""
    text = ctx.text
    value = value_of(m)
    is_word = m.re is RX_WORD_FIGURE
    pct = bool(not is_word and (m["pct"] or (partner and partner["pct"])))
    s0, s1 = sentence_bounds(text, m.start(), ctx.breaks)
    c0 = clause_start(text, s0, m.start())
    before = _antecedent(text, s0, m.start(), prev)
    if pct:
        indicator, end = percent_indicator(text, partner or m, c0, before), m.end()
    else:
        indicator, end = _count_indicator(text, partner or m, c0, before)
        end = m.end() if partner else end
    if value is None or not (indicator or pct):
        return None
    near = ctx.main if ctx.main and m.start() - ctx.main["end"] < MAIN_REACH else None
    same_para = near is not None and "\n" not in text[near["end"]:m.start()]
    locus = _locus(ctx, m, end, s0, near if same_para else None)
    from_ = max(c0, prev["end"] if prev and prev["end"] > s0 else s0)
    carrier = _measure_carrier(text, m.start(), s0, prev, ctx.main)
    if carrier is prev and ctx.prev_change and ctx.level is not None and ctx.level["start"] >= s0:
        carrier = ctx.level     # '68 đảng viên, tăng 12 ... so với ...; trong đó 41 ...' shares 68's
    own = RX_OWN_END.split(text[end:min(s1, end + OWN_WORDS)], maxsplit=1)[0]
    shared = RX_SHARED_PREDICATE.search(text, end, min(s1, end + SHARED_REACH))
    if shared and not re.search(r"[;(]", text[end:shared.start()]):
        # '759/759 tổ chức cơ sở đảng và 16/16 đảng bộ ... đều đã tiến hành đại hội': the
        # predicate after 'đều' is each coordinated figure's
        own += " " + RX_OWN_END.split(text[shared.start():min(s1, shared.start() + OWN_WORDS)], maxsplit=1)[0]
    before_words = _without_entities(text, from_, m.start(), ctx.ents)
    measure = measure_of(text[m.start():end] + own, before_words, carrier["measure"] if carrier else None,
                         indicator or "")
    measure = _list_measure(text, s0, from_, m.start(), text[m.start():end] + own) or measure
    period, source = _period(ctx, s0, m.start(), s1, c0, end, near, measure)
    head = _list_head(text, s0, m.start())
    if head is not None and prev and prev["end"] <= m.start():
        # '... trong quý gồm: - Xã A: 24 đảng viên; - Phường B: 19 đảng viên': items of a list
        # count what its head (or the figure before it) counts, when it holds
        measure = last_cue(text[s0:head].lower()) or prev["measure"]
        if source in ("published", None) or (period and len(period) == 4 and len(prev["period"] or "") > 4):
            period, source = prev["period"], prev["period_source"]
    if measure == "total":
        period = _stock_at_governing_date(ctx, s0, c0, m.start(), period)
    if measure == "rated" and period and not re.fullmatch(r"\d{4}(?:/\d{4}|-\d{2})?", period) \
            and not (source == "published" and _now_stated(ctx, c0, m.start())):   # not 'đến nay 39/46 ... hoàn thành tốt'
        period, source = _review_year(ctx, m.start()), "text"
    item = {"text": text[m.start():end], "start": m.start(), "end": end, "value": number(value),
            "unit": "percent" if pct else "count", "qualifier": qualifier(text, m, c0, end, s0),
            "indicator": indicator or None, "subject": locus.subject, "locality": locus.locality,
            "period": period, "scope": locus.scope, "measure": measure,
            "indicator_key": indicator_key(indicator) if indicator else None,
            "period_source": source if period else None}
    if not is_word and m["den"]:
        item["denominator"] = number(numbers.parse_digits(m["den"]))
    if period:
        (ctx.flow_periods if measure != "total" else ctx.stock_periods).add(period)
    ctx.prev_change = is_change(before_words)
    if not ctx.prev_change:
        ctx.level = item
    return item


def find_metrics(text: str, sentences: list[tuple[int, int]], entities: list[dict],
                 directives: list[dict], published: str | None = None,
                 doc_province: str | None = None, merged: bool | None = None,
                 national: bool = False) -> list[dict]:
    """Contract figure dicts in text order; [] for empty or unusable input.

    ``doc_province`` is the article's main province as named at its time; ``merged`` says the
    article is from after the 2025 merger (default: from ``published``); ``national``: the
    article is a national outlet's about no one province (a figure about no named place is then
    the country's). ``sentences`` is
    accepted for the shared signature; sentence limits are recomputed here so that a '.'
    inside '481.406' never splits a figure from its context."""
    if not isinstance(text, str) or not text.strip():
        return []
    from nlp.localities import after_merger
    from nlp.periods import dateline

    published = published if isinstance(published, str) and published.strip() else dateline(text)
    blocked = [(d["start"], d["end"]) for d in directives or []
               if isinstance(d, dict) and isinstance(d.get("start"), int)]
    ctx = FigureContext(text=text, ents=places(entities), province=doc_province,
                        merged=after_merger(published) if merged is None else merged,
                        published=published, anchors=time_anchors(text, blocked, published),
                        breaks=sentence_breaks(text), national=national and not doc_province)
    found = candidates(text, blocked)
    title_end = headline_end(text)
    ctx.headline_cut, ctx.headline_period = title_end, headline_period(text, ctx.anchors, published)
    body_figures = [m.start() for m, _ in found if (title_end == -1 or m.start() > title_end)
                    and not _furniture_line(text, m.start())]
    ctx.body = main_body(text, ctx.ents, first_figure=body_figures[0] if body_figures else None)
    out, prev = [], None
    for m, partner in found:
        item = describe(m, partner, prev, ctx)
        if item:
            out.append(item)
            prev = item
            if text.rfind("(", 0, item["start"]) <= text.rfind(")", 0, item["start"]):
                ctx.main = item
    return _headline_restated(text, out)


FURNITURE_LINE = 60  # characters: a line this short around a number is page furniture ('Đã xem: 643')


def _furniture_line(text: str, pos: int) -> bool:
    a, b = text.rfind("\n", 0, pos) + 1, text.find("\n", pos)
    return (len(text) if b == -1 else b) - a < FURNITURE_LINE




def _headline_restated(text: str, figures: list[dict]) -> list[dict]:
    """A headline restates a figure of the body ('Toàn tỉnh kết nạp 288 đảng viên' above the
    paragraph that dates it): a headline figure takes the period of the first body figure
    with the same value and unit, its measure (the body says what it counts), and its scope when
    the headline states none."""
    cut = short_headline_end(text)
    if cut == -1:
        return figures
    body = [f for f in figures if f["start"] > cut]
    for f in figures:
        if f["start"] >= cut:
            break
        same = next((b for b in body if b["value"] == f["value"] and b["unit"] == f["unit"]), None)
        if same is not None and same["period"] and not (f["period_source"] == "text" and same["period_source"] != "text"):
            f["period"], f["period_source"] = same["period"], same["period_source"]   # not over the headline's own year
        if same is not None and f.get("scope") is None and same.get("scope"):
            f["scope"] = same["scope"]       # 'Hơn 4,3 triệu đảng viên ...' above 'cả nước đã có ...'
        if same is not None:
            f["measure"] = same["measure"]   # the body says what the restated figure counts
    return figures
