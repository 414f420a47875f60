"""Which figures compare with each other: a series is (indicator, measure, scope, unit).

`70.592 đảng viên` (a province's total), `kết nạp 288 đảng viên` (new members) and `kỷ luật 72
đảng viên` (disciplined) are three series, and a district's total is not its province's. Light on
imports: the CLI reads the choices from here before it needs DuckDB.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipelines.errors import InputError

ANY = "all"      # the option value that lifts a filter (`--scope all`, `--measure all`, `--unit all`)
SCOPES = ("province", "country", "district", "commune", "organization", ANY)
MEASURES = ("total", "new", "inspected", "disciplined", "rated", "trained", "awarded", "other", ANY)
UNITS = ("count", "percent", ANY)


@dataclass(frozen=True)
class Series:
    """Which figures of an indicator compare with each other. None or `all`: any."""
    measure: str | None = "total"
    scope: str | None = "province"
    unit: str | None = "count"
    period: str | None = None        # a year, YYYY: periods within it (terms such as 2020/2025 are not)
    targets: bool = False            # also figures the text gives as targets (qualifier `target`)

    def params(self) -> dict:
        return {"measure": _any(self.measure), "scope": _any(self.scope), "unit": _any(self.unit),
                "year": year(self.period), "targets": self.targets}


def _any(value: str | None) -> str | None:
    return None if value in (None, ANY) else value


def year(value: str | int | None) -> str | None:
    """`--period`: a year as YYYY (None stays None)."""
    if value is None:
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise InputError(f"not a year (YYYY): {value!r}")
    return text


@lru_cache(maxsize=65536)
def indicator_key(indicator: str | None) -> str | None:
    """The indicator's key in data/reference/indicators.csv (synonyms and acronyms map to one)."""
    if not indicator:
        return None
    try:
        from nlp.indicators import indicator_key as key
    except ImportError:         # before nlp.indicators split from nlp.metrics
        from nlp.metrics import indicator_key as key
    return key(indicator)


# Words that name a figure's measure inside its indicator (`đảng viên kết nạp mới` is đảng viên,
# measure new): a figure's base key is the key of its indicator without them, so that
# `xdd compare "đảng viên" --measure new` finds it. Ratings are left whole (`hoàn thành xuất sắc
# nhiệm vụ` and `hoàn thành tốt nhiệm vụ` are different series), as are partial phrases.
MEASURE_WORDS = {
    "new": ("được kết nạp mới", "kết nạp mới", "mới kết nạp", "được kết nạp", "kết nạp", "thành lập mới",
            "mới thành lập", "được thành lập", "thành lập", "phát triển mới", "phát triển", "mới"),
    "disciplined": ("bị thi hành kỷ luật", "thi hành kỷ luật", "bị xử lý kỷ luật", "phải xử lý kỷ luật",
                    "bị kỷ luật", "kỷ luật", "bị khai trừ", "bị xóa tên"),
    "inspected": ("được kiểm tra", "bị kiểm tra", "được giám sát", "kiểm tra", "giám sát"),
    "awarded": ("được trao tặng huy hiệu đảng", "được tặng huy hiệu đảng", "được trao huy hiệu đảng",
                "được khen thưởng", "khen thưởng"),
    "trained": ("được học tập", "tham gia học tập", "được bồi dưỡng", "được quán triệt"),
}


@lru_cache(maxsize=65536)
def base_key(indicator: str | None, measure: str | None) -> str | None:
    """The key of `indicator` without the words of `measure` at its start or end, else its key."""
    from nlp.text import fold

    if not indicator:
        return None
    folded = fold(indicator).strip()
    for words in sorted(map(fold, MEASURE_WORDS.get(measure or "", ())), key=len, reverse=True):
        for rest in (_without_suffix(folded, words), _without_prefix(folded, words)):
            if rest and indicator_key(rest):
                return indicator_key(rest)
    return indicator_key(indicator)


def _without_suffix(text: str, words: str) -> str | None:
    return text[:-len(words)].strip() if text.endswith(" " + words) else None


def _without_prefix(text: str, words: str) -> str | None:
    return text[len(words):].strip() if text.startswith(words + " ") else None
