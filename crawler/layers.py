"""Generic fallbacks of the layered extraction, one field at a time.

Each field is read from the source's selectors first; when they find nothing, from the generic
layers below, in order; the record's `extracted_by` says which layer gave each field:

- title: `source` → `jsonld` (headline) → `meta` (og:title, twitter:title) → `h1` (the heading that
  best matches the page title) → `html_title` (`<title>` without the site name) → `trafilatura`
- lead: `source` → `meta` (og:description, description) → `jsonld`
- date: `source` → `jsonld` (datePublished) → `meta` (article:published_time, ...) → `time`
  (`<time datetime>`) → `text` (a Vietnamese date in a short text near the title or in the body
  container); never a guess from elsewhere in the page (htmldate infers `2025-01-01` from a
  `2025-2030` in a related headline)
- author: `source` → `jsonld` → `meta` → `byline` (a `Tin, ảnh: ...` line) → `head` (the author
  block before the date line at the start of the body)
- body: `source` → `trafilatura:container` (trafilatura on the article container found by common
  class names / `<article>` / `itemprop=articleBody`) → `trafilatura:page`
- tags: `source` → `meta` (article:tag, keywords) → `keywords_row` (`Từ khóa: a, b`) → `trafilatura`
- canonical: `source` → `link` (rel=canonical, og:url) → `url`
"""
from __future__ import annotations

import json
import re
from difflib import SequenceMatcher

from parsel import Selector

from crawler.dates import ParsedDate, parse_date
from crawler.html_text import all_texts, drop, element_lines, first_text, select
from crawler.text import squash

META_TITLE = ("meta[property='og:title']::attr(content)", "meta[name='twitter:title']::attr(content)")
META_LEAD = ("meta[property='og:description']::attr(content)", "meta[name='description']::attr(content)")
LEAD_CLASSES = ("[class*='sapo']", "[class*='Sapo']", "[class*='lead']", "[class*='Lead']",
                "[class*='summary']", "[class*='chapeau']", "[class*='excerpt']", "[class*='description']")
META_DATES = (
    "meta[property='article:published_time']::attr(content)",
    "meta[itemprop='datePublished']::attr(content)",
    "meta[name='pubdate']::attr(content)",
    "meta[name='publishdate']::attr(content)",
    "meta[name='article:published_time']::attr(content)",
    "meta[property='og:published_time']::attr(content)",
    "meta[name='dc.date']::attr(content)",
    "meta[name='DC.date.issued']::attr(content)",
)
META_AUTHOR = ("meta[name='author']::attr(content)", "meta[property='article:author']::attr(content)")
META_TAGS = ("meta[property='article:tag']::attr(content)", "meta[name='news_keywords']::attr(content)",
             "meta[name='keywords']::attr(content)")
CANONICAL = ("link[rel=canonical]::attr(href)", "meta[property='og:url']::attr(content)")

# Article containers of common Vietnamese news CMSs, most specific first.
CONTAINERS = (
    "[itemprop='articleBody']", "div.content-fck", "div.detail-content", "div.article__body",
    "div.cms-body", "div.post-content", "div.news-content", "div.article-content", "div.article-body",
    "div.entry-content", "div.detail__content", "div.content-detail", "div.detail-body",
    "div.news-details__content", "div.ContentDetail", "div.noidung", "div.main-content-detail",
    "div#content-detail", "div.body-content", "article",
)
# Photo captions: an italic-only short paragraph centred or right after an image, caption classes.
CAPTIONS = (
    "xpath://p[not(.//img)][string-length(normalize-space()) < 300]"
    "[normalize-space() = normalize-space(em) or normalize-space() = normalize-space(i)]"
    "[contains(@style, 'center') or preceding-sibling::*[1][.//img] or contains(@class, 'caption')]",
    "[class*='caption']", "[class*='Caption']", "xpath://table[.//img]//td[not(.//img)]",
)
# Page furniture inside containers, dropped before any text is read.
JUNK = (
    "script", "style", "noscript", "iframe", "form", "button", "nav", "figcaption",
    "[class*='breadcrumb']", "[class*='related']", "[class*='Related']", "[class*='share']",
    "[class*='social']", "[class*='comment']", "[class*='rating']", "[class*='tag-list']",
    "[class*='keyword']", "[class*='same']", "[class*='other-news']", "[class*='tin-khac']",
    "[class*='advert']", "[class*='banner']", "[id*='comment']",
)

_DATEISH = re.compile(r"\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}|\d{1,2}\s+tháng\s+\d{1,2}", re.I)
_DATE_NOISE = re.compile(
    r"thứ\s*(hai|ba|tư|năm|sáu|bảy|\d)|chủ\s*nhật|ngày|lúc|cập\s*nhật|đăng|gmt\s*\+?\s*\d+|"
    r"\d{1,2}\s*[:h]\s*\d{2}(:\d{2})?|am|pm|sa|ch|xuất\s*bản|thời\s*gian|[\s,|:\-–()\[\]/.+]", re.I)


def _jsonld_objects(sel: Selector) -> list[dict]:
    out: list[dict] = []
    for raw in sel.css("script[type='application/ld+json']::text").getall():
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, dict):
                out.append(obj)
                graph = obj.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return out


def _is_article(obj: dict) -> bool:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and ("Article" in k or k in ("BlogPosting", "Report", "WebPage")) for k in kinds)


def jsonld(sel: Selector, key: str) -> str | None:
    """A string field of the page's JSON-LD article object (`headline`, `datePublished`, ...)."""
    for obj in _jsonld_objects(sel):
        if not _is_article(obj) and key != "datePublished":
            continue
        value = obj.get(key)
        if key == "author":
            value = value[0] if isinstance(value, list) and value else value
            value = value.get("name") if isinstance(value, dict) else value
        if isinstance(value, str) and value.strip():
            return squash(value)
    return None


def jsonld_dates(sel: Selector) -> list[str]:
    """Every `datePublished` of the page's JSON-LD objects."""
    return [o["datePublished"] for o in _jsonld_objects(sel) if isinstance(o.get("datePublished"), str)]


def _site_suffix_stripped(title: str) -> str:
    parts = [p.strip() for p in re.split(r"\s+[|–—-]\s+|\s+[|]\s*", title) if p.strip()]
    return max(parts, key=len) if len(parts) > 1 else title


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a.lower(), b.lower()).ratio() if a and b else 0.0


def title(sel: Selector) -> tuple[str | None, str]:
    """(title, layer) from the generic layers."""
    t = jsonld(sel, "headline") or jsonld(sel, "name")
    if t:
        return t, "jsonld"
    meta = first_text(sel, META_TITLE)
    if meta:
        return meta, "meta"
    page_title = _site_suffix_stripped(first_text(sel, ("title::text",)) or "")
    heads = [squash(" ".join(h.xpath(".//text()").getall())) for h in sel.css("h1, h2")]
    heads = [h for h in heads if len(h.split()) >= 4]
    if heads:
        best = max(heads, key=lambda h: (_similar(h, page_title), len(h)))
        if not page_title or _similar(best, page_title) > 0.6:
            return best, "h1"
    if page_title:
        return page_title, "html_title"
    return None, "none"


def title_node(sel: Selector, text: str | None):
    """The heading element whose text is the title (for searching a date near it)."""
    if not text:
        return None
    for node in sel.css("h1, h2, h3, .title, [class*='title']"):
        if _similar(squash(" ".join(node.xpath(".//text()").getall())), text) > 0.85:
            return node
    return None


def is_date_line(text: str) -> ParsedDate | None:
    """A short text that is only a date (with time, weekday, `Cập nhật:` ...): its date, else None."""
    text = squash(text)
    if not text or len(text) > 70 or not _DATEISH.search(text):
        return None
    d = parse_date(text)
    if d is None:
        return None
    rest = _DATE_NOISE.sub("", _DATEISH.sub("", text))
    return d if len(rest) <= 12 else None


def dates_near(sel: Selector, anchor, container) -> list[str]:
    """Short date-only texts after the title (within 40 text nodes) and inside the body container."""
    out: list[str] = []
    if anchor is not None:
        for t in anchor.xpath("following::text()[normalize-space()][position() <= 40]").getall():
            if is_date_line(t):
                out.append(squash(t))
        parent = anchor.xpath("..")
        for t in (parent[0].xpath(".//text()[normalize-space()]").getall() if parent else []):
            if is_date_line(t):
                out.append(squash(t))
    if container is not None:
        for t in container.xpath(".//text()[normalize-space()][position() <= 400]").getall():
            if is_date_line(t):
                out.append(squash(t))
    return list(dict.fromkeys(out))


def container(sel: Selector):
    """The article container: the first common-CMS container holding a fair amount of text, else
    the element whose own paragraphs hold the most text (classes renamed by a redesign)."""
    best = None
    for q in CONTAINERS:
        for node in select(sel, q):
            size = len(" ".join(node.xpath(".//p//text()").getall()))
            if size >= 300:
                return node
            if best is None and size > 0:
                best = node
    return densest(sel) or best


def densest(sel: Selector):
    """The element whose child paragraphs (`p`, or `div`s of plain text) hold the most text."""
    scores: dict = {}
    for p in sel.xpath("//body//p"):
        parent = p.xpath("..")
        if not parent:
            continue
        el = parent[0].root
        if el.tag in ("a", "li", "td", "blockquote", "figure"):
            continue
        text = " ".join(p.xpath(".//text()[not(ancestor::a)]").getall())
        if len(text.strip()) < 40:
            continue
        scores[el] = scores.get(el, (parent[0], 0))[0], scores.get(el, (None, 0))[1] + len(text)
    if not scores:
        return None
    node, size = max(scores.values(), key=lambda v: v[1])
    return node if size >= 200 else None


def trafilatura_body(html: str, url: str) -> dict:
    """trafilatura's text and metadata for an HTML document or fragment ({} when it finds nothing)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True)
    except Exception:  # noqa: BLE001 - a fallback must never break the parse
        return {}
    if doc is None:
        return {}
    d = doc if isinstance(doc, dict) else doc.as_dict()
    return {"title": d.get("title"), "lead": d.get("description"), "author": d.get("author"),
            "tags": [t for t in (d.get("tags") or []) if t], "date": d.get("date"),
            "lines": [x for x in (d.get("text") or "").split("\n") if x.strip()]}


def prepared(node):
    """A copy of a container with generic junk and captions removed (the page is not changed)."""
    copy = Selector(text=node.get())
    root = copy.css("body > *")
    target = root[0] if root else copy
    drop(target, JUNK + CAPTIONS)
    return target


def container_lines(node) -> list[str]:
    """Block lines of a container with generic junk and captions removed."""
    return element_lines(prepared(node).root)


def meta_tags(sel: Selector) -> list[str]:
    """Tags from `article:tag` / keywords meta (comma-separated values split)."""
    vals = all_texts(sel, META_TAGS)
    out = [t.strip() for v in vals for t in v.split(",") if t.strip()]
    return list(dict.fromkeys(out))[:30]


def lead_by_class(sel: Selector) -> str | None:
    """A sapo/lead paragraph found by class name (`sapo`, `lead`, `summary`, ...), 40–600 characters."""
    for q in LEAD_CLASSES:
        for node in sel.css(q):
            if node.root.tag in ("body", "html", "meta", "script"):
                continue
            text = squash(" ".join(node.xpath(".//text()").getall()))
            if 40 <= len(text) <= 600:
                return text
    return None


def author_near(anchor, is_name) -> str | None:
    """A name line between the title and the date line below it (`TS. Trần Văn A`)."""
    if anchor is None:
        return None
    for t in anchor.xpath("following::text()[normalize-space()][position() <= 12]").getall():
        t = squash(t)
        if is_date_line(t):
            return None
        if is_name(t):
            return t
    return None
