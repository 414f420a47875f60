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
    lead_tag_bare: re.Pattern
    tail_markers: tuple[str, ...]


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
        lead_tag_bare=re.compile(t["lead_tag_bare"]),
        tail_markers=tuple(sorted((m.lower() for m in t["tail_markers"]), key=len, reverse=True)),
    )


def split_lead_tag(text: str, pattern: re.Pattern | None = None) -> tuple[str | None, str]:
    """`(CTO) - Ngày 8-1, ...` → (`CTO`, `Ngày 8-1, ...`); the source pattern first."""
    for pat in (pattern, furniture().lead_tag, furniture().lead_tag_bare):
        m = pat.match(text) if pat else None
        if m and m.end() < len(text):
            rest = text[m.end():].lstrip()
            if pat is furniture().lead_tag_bare and not (rest[:1].isupper() or rest[:1] in "“\"'"):
                continue
            return m.group(1), rest
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


_STARS = re.compile(r"^[\s★☆✩✪✫✬✭✮✯✰⭐*|/0-9.,()]+$")
_BREADCRUMB = re.compile(r"\s[>›»]\s|^trang chủ\b|^home\b", re.I)


def widget_row(line: str) -> str | None:
    """The marker when a line is a widget row (`Từ khóa: a, b`, `Đánh giá bài viết: ★★★`), else None."""
    low = line.lower().strip()
    for marker in furniture().tail_markers:
        if low.startswith(marker):
            rest = low[len(marker):].lstrip()
            if rest.startswith((":", "(")) or not rest or (len(low) < 40 and not rest[:1].isalpha()):
                return marker
    if len(line) < 60 and any(c in line for c in "★☆⭐") and _STARS.match(line):
        return "rating"
    return None


def keywords_of(line: str) -> list[str]:
    """Tags of a `Từ khóa: a, b; c` row."""
    _, _, rest = line.partition(":")
    return [t.strip(" .") for t in re.split(r"[,;|]", rest) if t.strip(" .")]


def is_breadcrumb(line: str) -> bool:
    """`Trang chủ > Chính trị > Xây dựng Đảng` (a short line with path separators)."""
    return len(line) < 120 and bool(_BREADCRUMB.search(line))


@dataclass
class Cleaned:
    """A body after the structural filters: its lines and what was cut, for provenance and audit."""

    lines: list[str]
    head: list[str]          # lines dropped before the body (breadcrumb, author block, date line)
    date_line: str | None    # the date line found at the start of the body
    tags: list[str]          # from a `Từ khóa:` row
    removed: list[str]       # every dropped line (head, widget rows, tail)
    boilerplate: float = 0.0  # share of the container's characters left out of the body
    tail_author: str | None = None  # a bare name line closing the body ("Minh Khôi")


def strip_structure(lines: list[str], title: str = "", lead: str = "", is_date=None) -> Cleaned:
    """Drop the head (title, breadcrumb, author block and date line at the start) and the tail
    (from the first widget row in the second half: keywords, rating, related news, share)."""
    removed: list[str] = []
    head: list[str] = []
    date_line = None
    out = list(lines)
    # title / breadcrumb lines first
    while out and (is_breadcrumb(out[0]) or _same(out[0], title)):
        removed.append(out.pop(0))
    # a date line within the first lines, with only short lines before it: drop up to it
    for i, line in enumerate(out[:8]):
        if is_date is not None and is_date(line):
            if all(len(x) < 150 for x in out[:i]):
                head = [x for x in out[:i] if not is_breadcrumb(x) and not _same(x, title)]
                date_line = line
                removed.extend(out[: i + 1])
                out = out[i + 1:]
            break
        if len(line) >= 150:
            break
    while out and (is_breadcrumb(out[0]) or _same(out[0], title)):
        removed.append(out.pop(0))
    tags: list[str] = []
    kept: list[str] = []
    n = len(out)
    for i, line in enumerate(out):
        marker = widget_row(line)
        if marker is None:
            kept.append(line)
            continue
        if marker.startswith(("từ khóa", "từ khoá", "tag", "thẻ")):
            tags.extend(keywords_of(line))
        if i >= n / 2 and kept:
            removed.extend(out[i:])
            break
        removed.append(line)
    tail_author = None
    if len(kept) > 2 and is_name_line(kept[-1]):
        tail_author = kept.pop()
        removed.append(tail_author)
    return Cleaned(kept, head, date_line, tags, removed, tail_author=tail_author)


_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\.?\s*){1,5}$")


def is_name_line(line: str) -> bool:
    """A bare author name closing a body: 1–5 capitalised words, no sentence punctuation."""
    line = line.strip()
    words = line.split()
    return (2 <= len(line) <= 40 and 1 <= len(words) <= 5 and bool(_NAME.match(line))
            and all(w[:1].isupper() for w in words) and not line.endswith((":", ","))
            and not is_widget(line))


def _same(line: str, title: str) -> bool:
    if not title:
        return False
    a, b = re.sub(r"\W+", "", line.lower()), re.sub(r"\W+", "", title.lower())
    return bool(a) and a == b
