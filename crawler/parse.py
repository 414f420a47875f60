"""Pure article parsing: HTML + URL (+ source config) → article record or a skip reason."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawler import furniture as fu
from crawler import layers as ly
from crawler.dates import TZ, ParsedDate, parse_date
from crawler.decode import decode_html, repair
from crawler.html_text import all_texts, drop, element_lines, first_node, first_text
from crawler.records import finish_record, outlet_fields
from crawler.relevance import is_party_building, is_vietnamese
from crawler.sources import SourceConfig, common_settings
from crawler.text import normalise, squash

_CLOSED = re.compile(r"</(html|body)\s*>", re.I)
FIELD_NAMES = ("title", "lead", "date", "author", "body", "tags", "canonical")


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


def pick_date(candidates, fetched_at: datetime) -> ParsedDate | None:
    """First valid date (not after `fetched_at`); a later minute-precision one on the same day wins."""
    found = pick_date_layer(((t, o, "") for t, o in candidates), fetched_at)
    return found[0] if found else None


def pick_date_layer(candidates, fetched_at: datetime) -> tuple[ParsedDate, str] | None:
    """Like `pick_date` over (text, order, layer) candidates; returns the date and its layer."""
    best: tuple[ParsedDate, str] | None = None
    for text, order, layer in candidates:
        d = parse_date(text, order)
        if d is None or d.value > fetched_at:
            continue
        if best is None:
            best = (d, layer)
        elif best[0].precision == "day" and d.precision == "minute" and d.value.date() == best[0].value.date():
            return d, layer
        if best[0].precision == "minute":
            return best
    return best


def _source_texts(sel: Selector, source: SourceConfig | None, key: str, many: bool = False):
    qs = source.selectors.get(key, ()) if source else ()
    if not qs:
        return None
    return all_texts(sel, qs) if many else first_text(sel, qs)


class _Fields:
    """Every field of one page, each from the first layer that has it (see `crawler.layers`)."""

    def __init__(self, sel: Selector, html: str, url: str, source: SourceConfig | None, fetched_at: datetime):
        self.sel, self.html, self.url, self.source, self.fetched_at = sel, html, url, source, fetched_at
        self.by: dict[str, str] = {}
        self._traf: dict | None = None
        self.node = None          # the body container (source or generic)
        self.title = self._title()
        self.lead = self._first("lead", lambda: (first_text(sel, ly.META_LEAD), "meta"),
                                lambda: (ly.jsonld(sel, "description"), "jsonld"),
                                lambda: (ly.lead_by_class(sel), "lead_class"))
        self.canonical = self._first("canonical", lambda: (first_text(sel, ly.CANONICAL), "link"),
                                     lambda: (url, "url"))
        # read before the body's exclusions change the page
        self.src_author = _source_texts(sel, source, "author")
        self.src_tags = _source_texts(sel, source, "tags", many=True)
        order = source.date_order if source else "dmy"
        self.src_dates = [(t, order, "source") for q in (source.selectors.get("date", ()) if source else ())
                          for t in all_texts(sel, (q,))]
        self.lines = self._body()

    def traf(self) -> dict:
        if self._traf is None:
            self._traf = ly.trafilatura_body(self.html, self.url)
        return self._traf

    def _first(self, name: str, *layers):
        value = _source_texts(self.sel, self.source, name)
        if value:
            self.by[name] = "source"
            return value
        for layer in layers:
            value, how = layer()
            if value:
                self.by[name] = how
                return value
        self.by[name] = "none"
        return None

    def _title(self) -> str | None:
        value = _source_texts(self.sel, self.source, "title")
        if value:
            self.by["title"] = "source"
            return value
        value, how = ly.title(self.sel)
        if not value:
            value, how = self.traf().get("title"), "trafilatura"
        self.by["title"] = how if value else "none"
        return value

    def _body(self) -> list[str]:
        if self.source:
            node = first_node(self.sel, self.source.selectors.get("body", ()))
            if node is not None:
                self.node = node
                drop(node, self.source.exclude)
                self.by["body"] = "source"
                return element_lines(node.root)
        node = ly.container(self.sel)
        self.node = node
        if node is not None:
            lines = ly.trafilatura_body(ly.prepared(node).get(), self.url).get("lines") or []
            if len(" ".join(lines)) >= common_settings()["text"]["min_chars"]:
                self.by["body"] = "trafilatura:container"
                return lines
            lines = ly.container_lines(node)
            if len(" ".join(lines)) >= common_settings()["text"]["min_chars"]:
                self.by["body"] = "container"
                return lines
        lines = self.traf().get("lines") or []
        self.by["body"] = "trafilatura:page" if lines else "none"
        return lines

    def date_candidates(self, head_date: str | None):
        """Lazily, (text, order, layer): source selectors, JSON-LD, meta, <time>, text near the title."""
        sel, src = self.sel, self.source
        order = src.date_order if src else "dmy"
        yield from self.src_dates
        yield from ((t, "dmy", "jsonld") for t in ly.jsonld_dates(sel))
        for q in ly.META_DATES:
            yield from ((t, "dmy", "meta") for t in all_texts(sel, (q,)))
        yield from ((t, "dmy", "time") for t in sel.css("article time::attr(datetime), time[datetime]::attr(datetime)").getall())
        if head_date:
            yield head_date, order, "text"
        anchor = ly.title_node(sel, self.title)
        yield from ((t, order, "text") for t in ly.dates_near(sel, anchor, self.node))
        # no htmldate guess: on pages without a date it infers one from any year in the page

    def author(self, byline: str | None, head: list[str]) -> str | None:
        value = self.src_author
        if value:
            self.by["author"] = "source"
            return value
        for how, value in (("jsonld", ly.jsonld(self.sel, "author")), ("meta", first_text(self.sel, ly.META_AUTHOR)),
                           ("byline", byline), ("head", _head_author(head)),
                           ("near_title", ly.author_near(ly.title_node(self.sel, self.title), fu.is_name_line))):
            if value and not value.lower().startswith(("http", "www")):
                self.by["author"] = how
                return value
        self.by["author"] = "none"
        return None

    def tags(self, row_tags: list[str]) -> list[str]:
        value = self.src_tags
        for how, v in (("source", value), ("meta", ly.meta_tags(self.sel)), ("keywords_row", row_tags)):
            if v:
                self.by["tags"] = how
                return list(v)
        self.by["tags"] = "none"
        return []


def _head_author(head: list[str]) -> str | None:
    """The name line of an author block (`TS. Bùi Ngọc Thanh` above an affiliation)."""
    return next((line for line in head[-4:] if fu.is_name_line(line)), None)


def _body(f: _Fields, source: SourceConfig | None):
    """(lead_tag, text, lead, author from a byline, body length without the lead, cleaned)."""
    title = squash(f.title)
    raw = [normalise(x).strip() for x in f.lines if x and x.strip()]
    byline = next((a for a in map(fu.byline_author, reversed(raw[-4:])) if a), None)
    cleaned = fu.strip_structure(raw, title, squash(f.lead), ly.is_date_line)
    byline = byline or cleaned.tail_author
    if not cleaned.head and f.node is not None and f.by.get("body", "").startswith("trafilatura"):
        # trafilatura leaves out the author block and date line: read them from the container
        around = fu.strip_structure(ly.container_lines(f.node), title, "", ly.is_date_line)
        cleaned.head, cleaned.date_line = around.head, cleaned.date_line or around.date_line
    lines = fu.clean_lines(cleaned.lines, title)
    pattern = source.pattern("lead_tag") if source else None
    tag, lead = fu.split_lead_tag(squash(f.lead), pattern) if f.lead else (None, None)
    if lines:
        tag2, lines[0] = fu.split_lead_tag(lines[0], pattern)
        tag = tag or tag2
    body_len = len("\n".join(lines))
    if lead and not _starts_with(lines, lead):
        lines.insert(0, lead)
    raw_len = sum(len(x) for x in raw) or 1
    cleaned.boilerplate = round(max(0.0, 1 - sum(len(x) for x in lines) / raw_len), 3)
    return tag, "\n".join(lines), lead, byline, body_len, cleaned


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
                  fetched_at: datetime | None = None, *, content_type: str | None = None,
                  explicit: bool = False) -> ParseResult:
    """Parse one article page; never raises on bad input (returns a skip instead).

    `explicit`: the URL was named by the user (`--url`), so it is an article whatever its path.
    """
    fetched_at = fetched_at or datetime.now(TZ)
    try:
        return _parse(html, url, source, fetched_at, content_type, explicit)
    except Exception as exc:  # noqa: BLE001 - bad input must be a counted skip
        return _skip("not_article", f"parse error: {type(exc).__name__}: {exc}"[:300])


def _parse(html, url, source, fetched_at, content_type, explicit=False) -> ParseResult:
    text, how = decode(html, content_type)
    if not text.strip():
        return _skip("empty_body", "empty document")
    if not _CLOSED.search(text[-8192:]):
        return _skip("truncated_html", "document ends before </body>/</html>")
    if source and not explicit and not source.is_article_url(url):
        return _skip("not_article", f"URL does not match {source.name} article_url")
    sel = Selector(text=text)
    f = _Fields(sel, text, url, source, fetched_at)
    if not f.title and not f.lines:
        return _skip("not_article", "no title and no body")
    lead_tag, body, lead, byline, body_len, cleaned = _body(f, source)
    if body_len < common_settings()["text"]["min_chars"]:
        return _skip("empty_body", f"{body_len} characters of body text (lead excluded)")
    return _validate(f, body, url, source, fetched_at, lead_tag, lead, byline, how, cleaned)


def _validate(f: _Fields, body, url, source, fetched_at, lead_tag, lead, byline, how, cleaned) -> ParseResult:
    if not is_vietnamese(body):
        return _skip("not_vietnamese", f"charset {how}")
    if not is_party_building(body, f.title or ""):
        return _skip("not_party_building", (f.title or "")[:120])
    found = pick_date_layer(f.date_candidates(cleaned.date_line), fetched_at)
    date = found[0] if found else None
    f.by["date"] = found[1] if found else "none"
    author = _clean_author(f.author(byline, cleaned.head), byline)
    tags = f.tags(cleaned.tags)
    canonical = canonicalise(f.canonical or url, url)
    name = source.name if source else (urlsplit(url).hostname or "web")
    rec = finish_record(
        source=name, url=url, canonical_url=canonical,
        site_article_id=(source.article_id_of(url) or source.article_id_of(canonical)) if source else None,
        title=squash(f.title) or None, lead=lead or None, lead_tag=lead_tag,
        author=author, published=date.iso() if date else None,
        published_precision=date.precision if date else None,
        tags=[squash(t) for t in tags], text=body, fetched_at=fetched_at.isoformat(timespec="seconds"),
        extracted_by={k: f.by.get(k, "none") for k in FIELD_NAMES},
        boilerplate_share=cleaned.boilerplate,
        **outlet_fields(source, url),
    )
    notes = [f"charset {how}"] if how.endswith("!") else []
    return ParseResult(article=rec, notes=notes + (["generic body"] if f.by["body"] != "source" else []))
