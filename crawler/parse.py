"""Pure article parsing: HTML + URL (+ source config) → article record or a skip reason."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawler import furniture as fu
from crawler.dates import TZ, ParsedDate, parse_date
from crawler.decode import decode_html, repair
from crawler.html_text import all_texts, drop, element_lines, first_node, first_text
from crawler.records import finish_record
from crawler.relevance import is_party_building, is_vietnamese
from crawler.sources import SourceConfig, common_settings
from crawler.text import normalise, squash

_CLOSED = re.compile(r"</(html|body)\s*>", re.I)
_META_DATES = (
    "meta[property='article:published_time']::attr(content)",
    "meta[itemprop='datePublished']::attr(content)",
    "meta[name='pubdate']::attr(content)",
    "meta[name='publishdate']::attr(content)",
)


@dataclass
class ParseResult:
    """An article record, or a skip reason with a detail."""

    article: dict | None = None
    skip: str | None = None
    detail: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when an article was produced."""
        return self.article is not None


def _skip(reason: str, detail: str = "") -> ParseResult:
    return ParseResult(skip=reason, detail=detail)


def canonicalise(url: str, base: str | None = None) -> str:
    """Resolve against `base`, drop the fragment and `utm_*` parameters."""
    parts = urlsplit(urljoin(base or url, url.strip()))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_")]
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", urlencode(query), ""))


def _jsonld_dates(sel: Selector) -> list[str]:
    out: list[str] = []
    for raw in sel.css("script[type='application/ld+json']::text").getall():
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for obj in data if isinstance(data, list) else [data]:
            if isinstance(obj, dict) and isinstance(obj.get("datePublished"), str):
                out.append(obj["datePublished"])
    return out


def pick_date(candidates, fetched_at: datetime) -> ParsedDate | None:
    """First valid date (not after `fetched_at`); a later minute-precision one on the same day wins."""
    best: ParsedDate | None = None
    for text, order in candidates:
        d = parse_date(text, order)
        if d is None or d.value > fetched_at:
            continue
        if best is None:
            best = d
        elif best.precision == "day" and d.precision == "minute" and d.value.date() == best.value.date():
            return d
        if best.precision == "minute":
            return best
    return best


def _date_candidates(sel: Selector, source: SourceConfig | None):
    """Lazily: article-scoped selector texts, then meta tags, then JSON-LD `datePublished`."""
    order = source.date_order if source else "dmy"
    for q in source.selectors.get("date", ()) if source else ():
        yield from ((t, order) for t in all_texts(sel, (q,)))
    for q in _META_DATES:
        yield from ((t, "dmy") for t in all_texts(sel, (q,)))
    yield from ((t, "dmy") for t in _jsonld_dates(sel))


def _site_body(sel: Selector, source: SourceConfig) -> list[str] | None:
    node = first_node(sel, source.selectors.get("body", ()))
    if node is None:
        return None
    drop(node, source.exclude)
    return element_lines(node.root)


def _generic(html: str, url: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False)
    if doc is None:
        return {}
    d = doc if isinstance(doc, dict) else doc.as_dict()
    return {"title": d.get("title"), "lead": d.get("description"), "author": d.get("author"),
            "tags": [t for t in (d.get("tags") or []) if t], "date": d.get("date"),
            "lines": (d.get("text") or "").split("\n")}


def _fields(sel: Selector, html: str, url: str, source: SourceConfig | None) -> dict:
    s = source.selectors if source else {}
    f = {"title": first_text(sel, s.get("title", ("meta[property='og:title']::attr(content)", "h1", "title"))),
         "lead": first_text(sel, s.get("lead", ("meta[property='og:description']::attr(content)",))),
         "author": first_text(sel, s.get("author", ())) if source else None,
         "tags": all_texts(sel, s.get("tags", ())) if source else [],
         "canonical": first_text(sel, s.get("canonical", ("link[rel=canonical]::attr(href)", "meta[property='og:url']::attr(content)"))),
         "dates": _date_candidates(sel, source), "lines": None}
    if source:
        f["lines"] = _site_body(sel, source)
    if f["lines"] is None:
        g = _generic(html, url)
        f["lines"] = g.get("lines") or []
        f["title"] = f["title"] or g.get("title")
        f["author"] = f["author"] or g.get("author")
        f["tags"] = f["tags"] or g.get("tags") or []
        f["dates"] = [*f["dates"], *([(g["date"], "dmy")] if g.get("date") else [])]
        f["generic"] = True
    return f


def _body(f: dict, source: SourceConfig | None) -> tuple[str | None, str, str | None, str | None, int]:
    """(lead_tag, text, lead, author from a byline, body length without the lead)."""
    title = squash(f["title"])
    raw = [normalise(x).strip() for x in f["lines"] if x and x.strip()]
    byline = next((a for a in map(fu.byline_author, reversed(raw[-4:])) if a), None)
    lines = fu.clean_lines(raw, title)
    pattern = source.pattern("lead_tag") if source else None
    tag, lead = fu.split_lead_tag(squash(f["lead"]), pattern) if f["lead"] else (None, None)
    if lines:
        tag2, lines[0] = fu.split_lead_tag(lines[0], pattern)
        tag = tag or tag2
    body_len = len("\n".join(lines))
    if lead and not _starts_with(lines, lead):
        lines.insert(0, lead)
    return tag, "\n".join(lines), lead, byline, body_len


def _starts_with(lines: list[str], lead: str) -> bool:
    head = re.sub(r"\W+", "", " ".join(lines[:2]).lower())
    probe = re.sub(r"\W+", "", lead.lower().rstrip(". …"))[:60]
    return not probe or probe in head


def _clean_author(author: str | None, byline: str | None) -> str | None:
    author = squash(author) or None
    if author and fu.furniture().attribution.match(author):
        author = None
    if author:
        author = fu.byline_author(author) or author
    return (author or byline or None) and squash(author or byline).strip(" .-–") or None


def decode(html: str | bytes, content_type: str | None = None) -> tuple[str, str]:
    """Text and the charset used (`!` suffix when the declared one was wrong)."""
    if isinstance(html, bytes):
        return decode_html(html, content_type)
    fixed = repair(html)
    return fixed, ("repaired!" if fixed is not html else "str")


def parse_article(html: str | bytes, url: str, source: SourceConfig | None,
                  fetched_at: datetime | None = None, *, content_type: str | None = None) -> ParseResult:
    """Parse one article page; never raises on bad input (returns a skip instead)."""
    fetched_at = fetched_at or datetime.now(TZ)
    try:
        return _parse(html, url, source, fetched_at, content_type)
    except Exception as exc:  # noqa: BLE001 - bad input must be a counted skip
        return _skip("not_article", f"parse error: {type(exc).__name__}: {exc}"[:300])


def _parse(html, url, source, fetched_at, content_type) -> ParseResult:
    text, how = decode(html, content_type)
    if not text.strip():
        return _skip("empty_body", "empty document")
    if not _CLOSED.search(text[-8192:]):
        return _skip("truncated_html", "document ends before </body>/</html>")
    if source and not source.is_article_url(url):
        return _skip("not_article", f"URL does not match {source.name} article_url")
    sel = Selector(text=text)
    f = _fields(sel, text, url, source)
    if not f["title"] and not f["lines"]:
        return _skip("not_article", "no title and no body")
    lead_tag, body, lead, byline, body_len = _body(f, source)
    if body_len < common_settings()["text"]["min_chars"]:
        return _skip("empty_body", f"{body_len} characters of body text (lead excluded)")
    return _validate(f, body, url, source, fetched_at, lead_tag, lead, byline, how)


def _validate(f, body, url, source, fetched_at, lead_tag, lead, byline, how) -> ParseResult:
    if not is_vietnamese(body):
        return _skip("not_vietnamese", f"charset {how}")
    if not is_party_building(body, f["title"] or ""):
        return _skip("not_party_building", (f["title"] or "")[:120])
    date = pick_date(f["dates"], fetched_at)
    canonical = canonicalise(f["canonical"] or url, url)
    rec = finish_record(
        source=source.name if source else (urlsplit(url).hostname or "web"),
        url=url, canonical_url=canonical,
        site_article_id=(source.article_id_of(url) or source.article_id_of(canonical)) if source else None,
        title=squash(f["title"]) or None, lead=lead or None, lead_tag=lead_tag,
        author=_clean_author(f["author"], byline), published=date.iso() if date else None,
        published_precision=date.precision if date else None,
        tags=[squash(t) for t in f["tags"]], text=body, fetched_at=fetched_at.isoformat(timespec="seconds"),
    )
    notes = [f"charset {how}"] if how.endswith("!") else []
    return ParseResult(article=rec, notes=notes + (["generic body"] if f.get("generic") else []))
