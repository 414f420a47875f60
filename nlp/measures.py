"""What kind of quantity a figure is (contract v2 ``measure``): a stock (``total``), admissions
and new units (``new``), inspections, discipline, quality ratings, training, awards, or
``other`` (net changes, congress results, meetings, money).

Cues are read in three places, nearest first: the figure's own words (indicator phrase and a
few words after it: '603 đảng viên mới', '5 ĐV mới được kết nạp'), the words before it in its
clause ('thi hành kỷ luật 72 đảng viên'), then the figure it refers back to ('bằng 35,34% chỉ
tiêu' after an admissions count). A clause that restates a stock ('tổng số đảng viên ... đạt',
'tăng lên 20.952') is a total even after a verb of change.
"""
from __future__ import annotations

import re

MEASURES = ("total", "new", "inspected", "disciplined", "rated", "trained", "awarded", "other")

# (measure, cue) in priority order; matched on lower-case text.
_CUES = (
    ("disciplined", r"kỷ luật|kỉ luật|khai trừ|xóa tên|xoá tên|cảnh cáo|khiển trách|cách chức|vi phạm kỷ luật|đưa ra khỏi đảng"),
    ("awarded", r"huy hiệu|bằng khen|giấy khen|khen thưởng|cờ thi đua|cờ dẫn đầu|tặng cờ|trao cờ|được tặng|trao tặng|tặng thưởng|biểu dương|tuyên dương|khen"),
    ("inspected", r"kiểm tra|giám sát|thanh tra|kết luận(?=\s+(?:\d|có\s))"),   # not 'các nghị quyết, kết luận'
    ("rated", r"xếp loại|đánh giá chất lượng|được đánh giá|đạt trong sạch|hoàn thành xuất sắc|hoàn thành tốt|hoàn thành nhiệm vụ|không hoàn thành|trong sạch,? vững mạnh|yếu kém|đủ tư cách|vi phạm tư cách|htxsnv|httnv"),
    ("trained", r"học tập|quán triệt|bồi dưỡng|tập huấn|đào tạo|lớp cảm tình|lớp đối tượng|lý luận chính trị|nghiên cứu, học tập|học viên"),
    ("new", r"kết nạp|ra mắt|phát triển (?:được )?(?:\d|đảng viên|đv)|thành lập (?:mới|thêm|được)?|đảng viên mới|đv mới|chi bộ mới|tổ chức đảng mới|mới thành lập|thành lập"),
    ("other", r"chuyển giao|bàn giao|tiếp nhận|chuyển sinh hoạt|điều động|luân chuyển|(?<!quyết )đại hội|bầu|đại biểu|trúng cử|giữ chức|vào ban chấp hành|vào ban thường vụ|ủy viên ban|hội nghị|kết thúc hoạt động|giải thể|sáp nhập|hợp nhất|ban hành|văn bản|tỷ đồng|triệu đồng|nghìn đồng|cuộc thi|bài dự thi|tác phẩm|tin, bài"
              r"|dự sinh hoạt|sinh hoạt đúng kỳ|sinh hoạt định kỳ"     # attendance and meetings held
              r"|tăng trưởng|thu nhập|hài lòng"     # the economy, satisfaction
              r"|số hóa|số hoá"),   # records digitised: an action (members who have installed or use an
                                    # app are a share of the members at a time: a stock, as the contract says)
)
_CUE_RX = tuple((name, re.compile(rf"(?<!\w)(?:{rx})(?!\w)")) for name, rx in _CUES)
# counts of times and sessions are 'other' unless a verb says what they did ('68.000 lượt cán bộ
# học tập, quán triệt' are trained)
_WEAK_OTHER = re.compile(r"(?<!\w)(?:lượt|buổi|cuộc)(?!\w)")
# A net change ('tăng 3 tổ chức', 'giảm 2 chi bộ') is 'other'; 'tăng lên N' states the new level.
_CHANGE = re.compile(r"(?<!\w)(?:tăng|giảm|nhiều hơn|ít hơn)(?:\s+(?:thêm|được|hơn|gần|khoảng|trên|so với[^,;]*?))?\s*$"
                     # 'nhiều hơn năm 2022 là 2.318', 'nhiều hơn cùng kỳ năm 2023 là 9'
                     r"|(?<!\w)(?:nhiều|ít|cao|thấp)\s+hơn\s+(?:cùng kỳ|năm|so với)[^,;\d]{0,25}?(?:\d{4})?\s+là\s*$")
_LEVEL = re.compile(r"(?<!\w)(?:tăng lên|giảm xuống|giảm còn|nâng lên|nâng tổng số|lên|đạt|còn)\s*(?:hơn|gần|khoảng|trên)?\s*$")
_STOCK = re.compile(r"(?<!\w)(?:tổng số|hiện có|có tổng|gồm|với|sinh hoạt (?:ở|tại)|đang sinh hoạt)(?!\w)")
_SHARE_OF_PREV = re.compile(r"(?:bằng|đạt|chiếm|tương đương|vượt|trong (?:số )?(?:đó|này)|gồm|với|trong đó có|bình quân"
                            r"|(?<!\w)(?<!đại diện )(?<!thay mặt )cho)\s*(?:\S+\s+){0,3}$")   # 'cho': those the previous figure's action was for


_RESTATED = re.compile(r"(?:(?<!\w)(?:con số|số liệu|số) (?:này|đó|trên)\s+(?:(?:chỉ|mới|cũng)\s+)?(?:là|đạt|có)?"
                       # '(năm 2017 là 15 tổ chức)', '(cùng kỳ là 12)': the same count at the baseline
                       r"|(?:^[\s(]*|\(\s*)(?:năm (?:19|20)\d{2}|năm trước|cùng kỳ(?: năm (?:19|20)\d{2})?)\s+(?:là|có|đạt)"
                       # '(chỉ tiêu là 1.400 đảng viên)', 'chỉ tiêu năm 2025 là 40': the target of that count
                       r"|(?<!\w)(?:chỉ tiêu|kế hoạch)(?: năm (?:19|20)\d{2})?\s+(?:là|đề ra là)"
                       r")\s*(?:hơn|gần|khoảng|trên)?\s*$")
# 'vượt 13% chỉ tiêu đại hội đề ra', 'bằng 104% kế hoạch': a share of the target of the count before
_SHARE_OF_TARGET = re.compile(r"^[\d.,]+\s*%\s+(?:chỉ tiêu|kế hoạch)(?!\w)")


def is_change(before: str) -> bool:
    """The words before a figure make it a net change ('tăng 12 đảng viên so với ...')."""
    before = before.lower()
    return bool(_CHANGE.search(before) and not _LEVEL.search(before))


def _cue(s: str) -> str | None:
    for name, rx in _CUE_RX:
        if rx.search(s):
            return name
    return None


def last_cue(s: str) -> str | None:
    """The measure of the cue nearest the end of lower-cased ``s``."""
    return _last_cue(s)


def _last_cue(s: str) -> str | None:
    """The measure of the cue nearest the end of ``s`` (the verb governing what follows)."""
    best, at = None, -1
    for name, rx in _CUE_RX:
        for m in rx.finditer(s):
            if m.start() > at:
                best, at = name, m.start()
    return best


# what may stand between two figures of one list: the previous item's tail ('... 359 đồng chí là
# đảng viên nữ, 14 ...'), separators, 'và', 'trong số này có'
_ENUMERATION = re.compile(r"(?:\s*(?:là|thuộc)\s+[^,;.\d]*)?[\s,;(]*"
                          r"(?:(?:và|cùng|cùng với|với|trong đó|trong số (?:đó|này)(?: có)?)\s*)?")


def measure_of(own: str, before: str, antecedent: str | None, indicator: str = "") -> str:
    """Measure of a figure from its indicator, its own words (``own``: the figure's text and the
    words after it in its phrase), the words before it since the previous figure or its clause
    start (``before``) and the measure of the figure it refers back to (``antecedent``)."""
    own, before, indicator = own.lower(), before.lower(), (indicator or "").lower()
    if is_change(before):
        return "other"
    if antecedent and _RESTATED.search(before):
        return antecedent         # '...; năm 2024, con số này chỉ là 13 đảng viên': the same count
    if antecedent and _SHARE_OF_TARGET.match(own) and not _cue(before):
        return antecedent
    if antecedent == "inspected" and re.search(r"(?<!\w)phát hiện\s*$", before):
        return "inspected"        # 'kiểm tra tài chính ở 12 chi bộ, phát hiện 4 tổ chức thu chưa đúng
    governing = _last_cue(before)
    if governing == "awarded" or _cue(own) == "awarded":
        return "awarded"          # award recipients are often named by their rating
    if governing == "disciplined":
        return "disciplined"      # '... đưa ra khỏi Đảng 6.248 đảng viên không còn đủ tư cách'
    if governing == "trained" and _cue(own) in ("new", "inspected"):
        return "trained"          # 'bồi dưỡng lý luận chính trị cho 1.870 đảng viên mới', 'tập huấn cho 100% ủy viên ủy ban kiểm tra'
    if antecedent and _ENUMERATION.fullmatch(before):
        # '603 đảng viên mới; trong số này có 359 ..., 14 ...'; an item with its own cue is its
        # own ('kết nạp 45 đảng viên mới, 90% chi bộ hoàn thành tốt nhiệm vụ'), but award
        # recipients stay awarded ('tặng giấy khen cho 9 chi bộ và 23 đảng viên hoàn thành ...')
        return (antecedent != "awarded" and _cue(own)) or antecedent
    hit = _cue(own) or _cue(indicator)
    if hit:
        return hit
    if _OWN_OTHER.search(own):
        return "other"            # '100% chi bộ đã thu, nộp đảng phí qua ứng dụng' (only in its own words:
                                  # 'kiểm tra việc thu, nộp đảng phí tại 12 tổ chức' are inspected)
    if indicator.startswith(("chỉ tiêu", "các chỉ tiêu")) and not antecedent:
        return "other"            # 'các chỉ tiêu về phát triển kinh tế - xã hội đạt 93,3%'

    if antecedent and (share := _SHARE_OF_PREV.search(before)):
        # 'bằng 35,34% chỉ tiêu' shares its antecedent's; 'trong đó khai trừ 26' has its own verb
        return _last_cue(before[share.start():]) or antecedent
    hit = governing
    if hit and not (hit in ("new", "other") and _stock_after_cue(before)):
        return hit
    if _WEAK_OTHER.search(own) or _WEAK_OTHER.search(indicator) or _SEATS.search(before):
        return "other"
    return "total"


# fees, dossiers, opinions gathered, works built, in a figure's own words
_OWN_OTHER = re.compile(r"(?<!\w)(?:đảng phí|hồ sơ|ý kiến|kiến nghị|công trình)(?!\w)")
# 'Tỷ lệ nữ trong ban chấp hành ... đạt 22,6%', 'cấp ủy viên trẻ chiếm 17,8%': a committee's seats
# (named before the figure, with no verb of its own: 'tập huấn cho 150 cấp ủy viên' is training)
_SEATS = re.compile(r"(?<!\w)(?:ban chấp hành|cấp ủy viên|cấp uỷ viên)(?!\w)")


_HAS = re.compile(r"(?<!\w)(?:có|gồm|với|tổng số|hiện có|lên|còn)(?!\w)")


def _stock_after_cue(before: str) -> bool:
    """'Sau khi hợp nhất, Đảng bộ thành phố có hơn 225.000 ...': a verb of having after the
    last cue of change restates a stock."""
    if _AMONG.search(before) or _COUNT_NAMED.search(before):
        return False    # 'Trong số đảng viên mới có 281 ...': a part of the new ones; 'có số lượng kết nạp lớn là X với 12.105'

    cue_at = max((m.end() for _, rx in _CUE_RX for m in rx.finditer(before)), default=-1)
    return any(m.start() >= cue_at for m in _HAS.finditer(before)) or bool(_STOCK.search(before[-40:]))


_COUNT_NAMED = re.compile(r"(?<!\w)(?:số lượng|số)\s+(?:đảng viên\s+)?(?:được\s+)?(?:kết nạp|kỷ luật|kiểm tra|khen thưởng)[^,;.]{0,40}?(?:là|với)\b")
_AMONG = re.compile(r"(?<!\w)trong số [^,;:\d]{0,40}?(?:có|gồm)\s*$")
