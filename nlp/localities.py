"""Where a figure belongs: the article's main province, the figure's subject (the body or place
it is about), that subject's province as named at the time of the article, and its level (scope).

Grammar above data: this module uses ``nlp.entities`` (the place grammar) and ``nlp.gazetteer``
(the tables); the gazetteer imports neither.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from nlp import gazetteer
from nlp.clauses import headline_end, in_parens
from nlp.entities import main_province, province_of
from nlp.text import fold, lookup_key

NATIONAL = re.compile(r"(?i:toàn đảng(?! bộ)|cả nước|toàn quốc|bộ chính trị|ban bí thư|trung ương|đảng cộng sản việt nam|quốc hội|chính phủ)")
MERGER_DATE = "2025-07-01"
NATIONAL_SENT = re.compile(r"(?i:toàn đảng(?! bộ)|cả nước|(?<!đại hội )(?<!đại biểu )toàn quốc)")   # not the name of the national congress
# Regions name several provinces: a figure about one has no province.
REGION = re.compile(r"(?i:tây nguyên|tây bắc|đông bắc|tây nam bộ|đồng bằng sông cửu long|đồng bằng sông hồng"
                    r"|nam trung bộ|bắc trung bộ|duyên hải miền trung|đông nam bộ|miền núi phía bắc)")
SCOPES = ("country", "province", "district", "commune", "organization")

# Scope of a body or place from its lower-case name (tone marks kept: 'ban' is a board, 'bản' a
# village); first match wins. Organisations first: 'Đảng bộ Công an tỉnh' is an organisation.
_SCOPE_RULES = tuple((re.compile(rx), scope) for rx, scope in (
    # a committee's organs (Ban Thường vụ, Ủy ban Kiểm tra, Ban Tổ chức Tỉnh ủy) act for its
    # territory and take its level below; bodies that are not territories are organisations
    (r"(?<!\w)(?:khối|công an|quân sự|bộ đội|biên phòng|bộ chỉ huy|doanh nghiệp|công ty|tổng công ty|tập đoàn"
     r"|ngân hàng|bệnh viện|trường|cơ quan|sở|hội đồng|mặt trận|đoàn thanh niên|liên đoàn|hội nông dân"
     r"|hội phụ nữ|viện|đảng đoàn|ban cán sự|ủy ban nhân dân|hội đồng nhân dân)(?!\w)", "organization"),
    (r"(?<!\w)(?:(?<!thị )xã|phường|thị trấn|thôn|ấp|bản|khóm|khu phố|tổ dân phố|làng|buôn|sóc|xóm|đặc khu)(?!\w)", "commune"),
    (r"(?<!\w)(?:huyện|quận|thị xã|huyện ủy|quận ủy|thị ủy)(?!\w)", "district"),
    (r"(?<!\w)(?:tỉnh|tỉnh ủy)(?!\w)", "province"),
))
_CITY = re.compile(r"\b(?:thanh pho|tp|thanh uy)\b")
_TOAN = (("toàn tỉnh", "province"), ("toàn đảng bộ tỉnh", "province"), ("toàn thành phố", None),
         ("trên địa bàn tỉnh", "province"), ("trong toàn tỉnh", "province"), ("trên địa bàn huyện", "district"),
         ("toàn huyện", "district"), ("toàn quận", "district"), ("toàn thị xã", "district"),
         ("toàn xã", "commune"), ("toàn phường", "commune"),
         # 'các tổ chức cơ sở đảng trong huyện đã kết nạp ...': the unit they are in
         ("trong huyện", "district"), ("trong quận", "district"), ("trong thị xã", "district"),
         ("trong tỉnh", "province"))


@dataclass(frozen=True)
class Locus:
    """What a figure is about: subject as named, its province (as at the article's time), scope."""
    subject: str | None
    locality: str | None
    scope: str | None


# ------------------------------------------------------------------ province lookups
def after_merger(published: str | None) -> bool:
    """Articles from 1 July 2025 name provinces as merged."""
    return bool(published) and str(published)[:10] >= MERGER_DATE


def as_of(province: str | None, merged: bool) -> str | None:
    """A province named as at the time of the article (after the merger when ``merged``)."""
    if not province:
        return None
    if not merged:
        return gazetteer.pre_merger_name(province) or province
    return gazetteer.merged_province(province) or province


def article_province(text: str, entities: list[dict], heading: str = "", heading_entities=(),
                     outlet_province: str | None = None, merged: bool = False,
                     national: bool = False) -> str | None:
    """The article's main province, as named at its time: the title and lead's place, else the
    body's main place, else the outlet's home province (a provincial paper's 'toàn tỉnh'). A
    national outlet's article is about a province only when its opening (headline and first
    paragraph) names one: provinces first named further down are examples ('Hà Nội kết nạp
    4.120 đảng viên, Thanh Hóa 2.876 ...' in a report on the whole Party)."""
    if national:
        cut = _opening_end(text)
        text, entities = text[:cut], [e for e in entities if isinstance(e.get("end"), int) and e["end"] <= cut]
    for found in (main_province(heading, list(heading_entities)) if heading else None,
                  main_province(text, entities)):
        if found:
            if outlet_province and _only_inferred(found, outlet_province, heading + "\n" + text):
                break     # a commune's name another province's old unit shared: the paper's own
            return as_of(found, merged)
    return as_of(outlet_province, merged)


OPENING_MAX = 600   # characters: a national article's opening (headline and first paragraph)


def _opening_end(text: str) -> int:
    """End of the headline (clauses.headline_end) and the first paragraph after it, at most
    OPENING_MAX characters."""
    head = headline_end(text)
    nxt = text.find("\n", head + 1) if head != -1 else -1
    return min(len(text) if nxt == -1 else nxt, OPENING_MAX)


def _only_inferred(found: str, outlet_province: str, text: str) -> bool:
    """True when ``found`` (a province inferred from the places named) differs from the
    provincial paper's own province and the text never names it: a place name several
    provinces' units share ('xã Phong Điền' in a Cần Thơ paper is Cần Thơ's)."""
    names = {found, as_of(found, True), as_of(found, False)} - {None}
    own = {outlet_province, as_of(outlet_province, True), as_of(outlet_province, False)} - {None}
    if names & own:
        return False
    folded = fold(text)
    return not any(fold(n) in folded for n in names)


# ------------------------------------------------------------------ subject and scope
def places(entities: list[dict]) -> list[dict]:
    """ORG and LOC entities with offsets, in text order."""
    return sorted((e for e in entities or [] if isinstance(e, dict) and e.get("label") in ("ORG", "LOC")
                   and isinstance(e.get("start"), int)), key=lambda e: e["start"])


def subject_entity(text: str, ents: list[dict], s0: int, start: int, end: int) -> dict | None:
    """'... của <X>' right after the figure, else the nearest body/place of the clause before it,
    else the last body of the sentence before it ('Trên địa bàn huyện X, Đảng ủy xã Y kết nạp
    12 ...'), else its first place (central bodies such as 'Bộ Chính trị' issue documents;
    they are not the subject)."""
    for e in ents:
        if end <= e["start"] <= end + 50:
            between = text[end:e["start"]]
            if "\n" not in between and not re.search(r"\d", between) \
                    and re.search(r"(?:của|thuộc|ở|tại|trên địa bàn)\s+$", between):
                return e
    before = [e for e in ents if s0 <= e["start"] and e["end"] <= start
              and not NATIONAL.search(e.get("text", "")) and not REGION.search(e.get("text", ""))
              and not _is_source(text, e)]
    before = _without_list_mates(text, before, start)
    if not before:
        return None
    c0 = text.rfind(";", s0, start)
    if c0 >= 0:                  # after a ';': that clause's nearest, else the sentence's subject
        near = [e for e in before if e["start"] > c0]
        return near[-1] if near else before[0]
    bodies = [e for e in before if e.get("label") == "ORG"]
    return bodies[-1] if bodies else before[0]     # a body acts; a place before it locates it


RX_SOURCE_AFTER = re.compile(r"\s*(?:đã\s+|vừa\s+)?(?:cho biết|báo cáo|thông tin|công bố|thống kê|nhận định|khẳng định|đánh giá)(?!\w)")
RX_SOURCE_BEFORE = re.compile(r"(?i:theo)\s+(?:(?:số liệu|thông tin|báo cáo|thống kê)(?:\s+tổng hợp)?\s+(?:của\s+)?)?"
                              r"(?:(?i:ban tổ chức|ủy ban kiểm tra|ban tuyên giáo|văn phòng)\s+)?$")
RX_LIST_GAP = re.compile(r"[\s,]*(?:(?:và|cùng|cùng với|với)\s+)?")


def _is_source(text: str, e: dict) -> bool:
    """'Ban Tổ chức Tỉnh ủy cho biết, ...', 'Theo Ủy ban Kiểm tra ...': who reports a figure
    is not what it is about."""
    return bool(RX_SOURCE_AFTER.match(text, e["end"]) or RX_SOURCE_BEFORE.search(text[max(0, e["start"] - 40):e["start"]]))


def _without_list_mates(text: str, ents: list[dict], start: int) -> list[dict]:
    """Drop the bodies enumerated with the figure ('trao cờ cho Đảng bộ Quân sự tỉnh, Đảng bộ
    TP Chí Linh và 6 TCCSĐ'): they are co-recipients, not the figure's subject."""
    cursor, keep = start, list(ents)
    while keep and RX_LIST_GAP.fullmatch(text, keep[-1]["end"], cursor) and text[keep[-1]["end"]:cursor].strip():
        cursor = keep.pop()["start"]
    return keep


def _centrally_run(province: str | None) -> bool:
    return bool(province) and fold(province) in {"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"}


def scope_of_name(name: str, province: str | None = None) -> str | None:
    """Level of a body or place from its name: 'Đảng bộ huyện Ninh Phước' → district,
    'Đảng bộ Công an tỉnh' → organization, 'Thành ủy Cần Thơ' → province."""
    low = " " + lookup_key(_generic_part(name)) + " "
    for rx, scope in _SCOPE_RULES:
        if rx.search(low):
            return scope
    key = " " + fold(name) + " "
    rest = re.sub(r"^(?:đảng bộ|đảng ủy|ban thường vụ|ban chấp hành|thường trực|thành ủy)\s+", "", lookup_key(name))
    named = gazetteer.pre_merger_name(rest) if rest else None
    if named and _centrally_run(named):      # 'Đảng bộ TP.HCM', 'Thành ủy Cần Thơ'
        return "province"
    if _CITY.search(key):
        return "province" if _centrally_run(province) and _names_province(key, province) else "district"
    if re.search(r"\bchi bo\b", key):
        return "organization"
    if province and fold(province) in key:
        extra = fold(rest).replace(fold(province), "").split()
        if re.match(r"(?:đảng bộ|đảng ủy)\s", lookup_key(name)) and [w for w in extra if w not in ("tinh", "thanh", "pho", "tp")]:
            return "organization"            # 'Đảng bộ Than Quảng Ninh': a body named after the province
        return "province"
    return "province" if named else None


_PLACE_NAME = re.compile(r"(?<!\w)((?i:xã|phường|thị trấn|huyện|quận|thị xã|tỉnh|thành phố|tp\.?|thôn|ấp|bản|khu phố|tổ dân phố|đặc khu))"
                         r"((?:\s+[A-ZĐÀ-Ỹ0-9][\w.-]*)+)")


def _generic_part(name: str) -> str:
    """A body's name without its place names ('Đảng bộ xã Xuân Trường' → 'Đảng bộ xã'), so that
    a place name never reads as a kind of body ('Trường' is not a school here)."""
    return _PLACE_NAME.sub(lambda m: m[1], name)


def main_body(text: str, ents: list[dict], within: int = 400, first_figure: int | None = None) -> dict | None:
    """The party body (or place) an article is about, when its opening names one: 'Đảng bộ
    Khối các cơ quan tỉnh – ...', 'Đảng bộ phường Bách Khoa có ...' (what a bare 'Đảng bộ' and
    figures naming no body refer to); None when the opening speaks of the whole province
    ('Toàn tỉnh ...') or names no body below it."""
    title_end = headline_end(text)
    for e in ents:
        in_title = title_end != -1 and e["end"] <= title_end
        if e["start"] > within or (not in_title and first_figure is not None and e["start"] > first_figure):
            break      # named after the body's first figure (a caption, a later paragraph): not the topic
        if re.search(r"(?i:toàn tỉnh|toàn đảng bộ tỉnh|trên địa bàn tỉnh)", text[:e["start"]]):
            return None
        name = e.get("norm") or e.get("text", "")
        if in_parens(text, e["start"]):
            continue   # '..., tại Nhà Văn hóa tỉnh (phường Trà Lý), ...': where, not whom
        party_body = e.get("label") == "ORG" and re.match(r"(?i:đảng bộ|đảng ủy|chi bộ)\s+\S", name)
        if party_body and scope_of_name(name) == "province":
            return None   # 'Đại hội đại biểu Đảng bộ tỉnh Hưng Yên ...': the province's own article
        named = party_body if e.get("label") == "ORG" else e.get("level") in ("district", "commune", "ward")
        if named and (e.get("label") != "ORG" or scope_of_name(name) in ("organization", "district", "commune")):
            return e
    return None


RX_BARE_BODY = re.compile(r"(?<!\w)(?:(?i:toàn)\s+)?Đảng (?:bộ|ủy)(?!\s+(?:[A-ZĐ]|(?i:tỉnh|huyện|xã|phường|thành phố|quận|thị xã|khối|cơ sở)\b))")


def _names_province(key: str, province: str | None) -> bool:
    """'Thành ủy Cần Thơ' or a bare 'Thành ủy' in a Cần Thơ article names the city itself."""
    rest = re.sub(r"\b(?:dang bo|dang uy|ban thuong vu|ban chap hanh|thanh uy|thanh pho|tp)\b", " ", key).strip(" .")
    return not rest or fold(province or "") in key


def scope_in_sentence(sentence: str, province: str | None) -> str | None:
    """Scope stated by 'toàn tỉnh', 'toàn huyện', 'toàn Đảng' ... in the words before a figure."""
    low = sentence.lower()
    if NATIONAL_SENT.search(low):
        return "country"
    best, at = None, -1
    for phrase, scope in _TOAN:
        i = low.rfind(phrase)
        if i > at:
            best, at = scope if scope else ("province" if _centrally_run(province) else "district"), i
    return best


def locality_of(entity: dict | None, doc_province: str | None, merged: bool = False) -> str | None:
    """Province of a subject entity, else the article's province; named as at the time of
    the article (after the 2025 merger when `merged`)."""
    if entity is not None and NATIONAL.search(entity.get("text", "")):
        return None
    then, after = (entity.get("province"), entity.get("province_2025")) if entity else (None, None)
    if entity is not None and not then and not after:
        then, after = province_of(entity.get("norm") or entity.get("text", ""))
    if not merged:
        return then or doc_province
    return after or as_of(then or doc_province, True)
