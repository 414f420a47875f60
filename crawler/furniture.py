"""Line-level furniture filters: lead tags, captions, bylines, widgets (patterns in `_common.toml`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from crawler.sources import common_settings


@dataclass(frozen=True)
class Furniture:
    """Compiled furniture patterns."""

    widgets: frozenset[str]
    prefixes: tuple[str, ...]
    caption_line: re.Pattern
    caption_tail: re.Pattern
    byline: re.Pattern
    attribution: re.Pattern
    lead_tag: re.Pattern


@lru_cache(maxsize=1)
def furniture() -> Furniture:
    """The shared patterns, compiled once."""
    t = common_settings()["text"]
    return Furniture(
        widgets=frozenset(w.lower().rstrip(":").strip() for w in t["widget_lines"]),
        prefixes=tuple(p.lower() for p in t["furniture_prefixes"]),
        caption_line=re.compile(t["caption_line"], re.I),
        caption_tail=re.compile(t["caption_tail"], re.I),
        byline=re.compile(t["byline"], re.I),
        attribution=re.compile(t["attribution"], re.I),
        lead_tag=re.compile(t["lead_tag"]),
    )


def split_lead_tag(text: str, pattern: re.Pattern | None = None) -> tuple[str | None, str]:
    """`(CTO) - Ngày 8-1, ...` → (`CTO`, `Ngày 8-1, ...`); the source pattern first."""
    for pat in (pattern, furniture().lead_tag):
        m = pat.match(text) if pat else None
        if m and m.end() < len(text):
            return m.group(1), text[m.end():].lstrip()
    return None, text


def is_widget(line: str) -> bool:
    """Share/comment/related/footer widget text, or the CMS token `leftcenterrightdel`."""
    f = furniture()
    low = line.lower().rstrip(":").strip()
    return low in f.widgets or low.startswith(f.prefixes) or low.replace("leftcenterrightdel", "").strip() == ""


def byline_author(line: str) -> str | None:
    """Author named in a byline line (`Tin, ảnh: P.Y` → `P.Y`), else None."""
    m = furniture().byline.match(line)
    return m.group(1).strip(" .") if m else None


def clean_line(line: str, title: str = "") -> str:
    """A body line with furniture removed: '' when the whole line is furniture."""
    f = furniture()
    line = line.replace("leftcenterrightdel", "").strip()
    if not line or is_widget(line) or f.caption_line.match(line):
        return ""
    if f.byline.match(line) or (len(line) < 80 and f.attribution.match(line)):
        return ""
    if title and re.fullmatch(re.escape(title) + r"\s*[-–]\s*\d+", line):
        return ""
    return f.caption_tail.sub("", line).strip()


def clean_lines(lines: list[str], title: str = "") -> list[str]:
    """Apply `clean_line` to each line, dropping furniture-only lines."""
    return [c for c in (clean_line(x, title) for x in lines) if c]
