"""Vietnamese publication dates → ISO 8601 in Asia/Ho_Chi_Minh with a precision.

Day first (`08/01/2026 - 18:21`), weekday and `GMT+7` stripped, `tháng N`, ISO with
`+0700`, RFC 822, and US-style `9/14/2024 6:44:00 PM` when `order="mdy"`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_WEEKDAY = re.compile(
    r"\b(thứ\s*(hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ\s*nhật|cn|t[2-7])\b\s*,?", re.I
)
_NOISE = re.compile(r"[\[(]?\s*gmt\s*\+\s*0?7(:?00)?\s*[\])]?|cập nhật\s*:?|đăng\s*(lúc|ngày)?\s*:?", re.I)
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_WORDY = re.compile(r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s*(?:năm\s+)?(\d{4})", re.I)
_TIME = re.compile(r"(?<![\d/.\-])(\d{1,2})\s*[:h]\s*(\d{2})(?::(\d{2}))?\s*(am|pm|sa|ch)?(?![\d/])", re.I)


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A parsed timestamp (aware) and whether the source gave a time."""

    value: datetime
    precision: str  # "minute" | "day"

    def iso(self) -> str:
        """`2024-09-24T16:15:00+07:00` (minute) or `2024-09-24T00:00:00+07:00` (day)."""
        return self.value.isoformat()


def _offset(text: str | None) -> timezone | ZoneInfo:
    if not text:
        return TZ
    if text.upper() == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _iso(text: str) -> ParsedDate | None:
    m = _ISO.search(text)
    if not m:
        return None
    y, mo, d, hh, mm, ss, off = m.groups()
    try:
        dt = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0),
                      tzinfo=_offset(off))
    except ValueError:
        return None
    return ParsedDate(dt.astimezone(TZ), "minute" if hh else "day")


def _ymd(text: str, order: str) -> tuple[tuple[int, int, int], str] | None:
    m = _WORDY.search(text)
    if m:
        d, mo, y = (int(x) for x in m.groups())
        return (y, mo, d), text[: m.start()] + " " + text[m.end():]
    m = _NUMERIC.search(text)
    if not m:
        return None
    a, b, y = (int(x) for x in m.groups())
    d, mo = (b, a) if order == "mdy" else (a, b)
    if mo > 12 and d <= 12:
        d, mo = mo, d
    return (y, mo, d), text[: m.start()] + " " + text[m.end():]


def _hms(text: str) -> tuple[int, int, int] | None:
    m = _TIME.search(text)
    if not m:
        return None
    h, mi, s, ampm = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0), (m.group(4) or "").lower()
    if ampm in ("pm", "ch") and h < 12:
        h += 12
    elif ampm in ("am", "sa") and h == 12:
        h = 0
    return (h, mi, s) if h < 24 and mi < 60 and s < 60 else None


def _rfc822(text: str) -> ParsedDate | None:
    if not re.search(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}", text):
        return None
    try:
        dt = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=TZ)
    return ParsedDate(dt.astimezone(TZ), "minute")


def parse_date(text: str | None, order: str = "dmy") -> ParsedDate | None:
    """Parse one Vietnamese date string; None when no full date (d, m, y) is present."""
    if not text:
        return None
    text = " ".join(text.split())
    found = _rfc822(text) or _iso(text)
    if found:
        return found
    text = _NOISE.sub(" ", _WEEKDAY.sub(" ", text))
    ymd = _ymd(text, order)
    if not ymd:
        return None
    (y, mo, d), rest = ymd
    hms = _hms(rest)
    try:
        dt = datetime(y, mo, d, *(hms or (0, 0, 0)), tzinfo=TZ)
    except ValueError:
        return None
    return ParsedDate(dt, "minute" if hms else "day")
