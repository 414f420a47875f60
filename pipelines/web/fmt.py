"""Vietnamese formatting: numbers `481.406` and `0,7`, dates `dd/mm/yyyy`, category labels."""
from __future__ import annotations

import math
import re

CATEGORY_LABELS = {
    "sinh_hoat_chi_bo": "Sinh hoạt chi bộ",
    "phat_trien_dang_vien": "Phát triển đảng viên",
    "kiem_tra_giam_sat": "Kiểm tra, giám sát",
    "giao_duc_chinh_tri_tu_tuong": "Giáo dục chính trị, tư tưởng",
    "cong_tac_can_bo": "Công tác cán bộ",
    "cung_co_to_chuc_co_so": "Củng cố tổ chức cơ sở",
    "hoc_tap_lam_theo_Bac": "Học tập và làm theo Bác",
    "cai_cach_hanh_chinh_dan_van": "Cải cách hành chính, dân vận",
    "chuyen_doi_so": "Chuyển đổi số",
    "other": "Khác",
}
MEASURE_LABELS = {"total": "tổng số", "new": "mới (kết nạp, thành lập)", "inspected": "được kiểm tra, giám sát",
                  "disciplined": "bị kỷ luật", "rated": "xếp loại", "trained": "được học tập, bồi dưỡng",
                  "awarded": "được khen thưởng, trao huy hiệu", "other": "khác", "all": "mọi loại"}
SCOPE_LABELS = {"province": "tỉnh, thành phố", "country": "toàn quốc", "district": "huyện, quận",
                "commune": "xã, phường", "organization": "tổ chức", "all": "mọi cấp"}
UNIT_LABELS = {"count": "số lượng", "percent": "tỷ lệ (%)", "all": "cả hai"}
QUALIFIER_LABELS = {"exact": "chính xác", "approx": "khoảng", "gt": "hơn", "lt": "dưới", "gte": "ít nhất",
                    "lte": "nhiều nhất", "target": "chỉ tiêu"}
KIND_LABELS = {"article": "Bài báo", "practice": "Cách làm"}


def number(value, digits: int | None = None) -> str:
    """481406 → '481.406', 0.7 → '0,7', 12.5 → '12,5' (Vietnamese separators)."""
    if value is None or value == "":
        return ""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x) or math.isinf(x):
        return ""
    if digits is None:
        digits = 0 if x == int(x) else (2 if abs(x) < 100 else 1)
    text = f"{x:,.{digits}f}"
    if digits:
        text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def date(value) -> str:
    """'2023-05-18 09:30:00+07' (or a date/datetime) → '18/05/2023'."""
    if value is None:
        return ""
    m = _DATE.match(str(value))
    return f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else str(value)


def datetime(value) -> str:
    """'2023-05-18 09:30:00+07' → '18/05/2023 09:30'."""
    if value is None:
        return ""
    text = str(value)
    m = _DATE.match(text)
    if not m:
        return text
    hm = re.search(r"[ T](\d{2}:\d{2})", text)
    return date(text) + (f" {hm.group(1)}" if hm else "")


def category(value) -> str:
    return CATEGORY_LABELS.get(value, value or "")


def label(mapping: dict, value) -> str:
    return mapping.get(value, value or "")
