"""Pure discovery parsers: sitemaps (index/urlset), RSS/Atom feeds, category pages."""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector

from crawler.dates import ParsedDate, parse_date
from crawler.html_text import select
from crawler.sources import SourceConfig

_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)


@dataclass(frozen=True, slots=True)
class Entry:
    """A discovered URL with its lastmod/pubDate (if any)."""

    url: str
    lastmod: ParsedDate | None = None
    is_sitemap: bool = False


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _xml_root(body: bytes):
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    try:
        return etree.fromstring(body.strip(), _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _child_text(el, name: str) -> str | None:
    for child in el:
        if _local(child.tag) == name:
            return (child.text or child.get("href") or "").strip() or None
    return None


def parse_sitemap(body: bytes, base_url: str) -> list[Entry]:
    """Entries of a sitemap index (is_sitemap=True) or urlset; `<loc>` resolved against `base_url`."""
    root = _xml_root(body)
    if root is None:
        return []
    kind = _local(root.tag)
    out = []
    for item in root:
        if _local(item.tag) not in ("sitemap", "url"):
            continue
        loc = _child_text(item, "loc")
        if loc:
            out.append(Entry(urljoin(base_url, loc), parse_date(_child_text(item, "lastmod")),
                             kind == "sitemapindex"))
    return out


def parse_feed(body: bytes, base_url: str, order: str = "dmy") -> list[Entry]:
    """Entries of an RSS 2.0 or Atom feed, with pubDate/updated parsed (`order` for M/D/Y feeds)."""
    root = _xml_root(body)
    if root is None:
        return []
    out = []
    for item in root.iter():
        name = _local(item.tag)
        if name not in ("item", "entry"):
            continue
        link = _child_text(item, "link") or _child_text(item, "guid")
        date = next((d for d in (_child_text(item, n) for n in ("pubdate", "published", "updated", "date")) if d), None)
        if link:
            out.append(Entry(urljoin(base_url, link), parse_date(date, order)))
    return out


def parse_robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """`Sitemap:` lines of a robots.txt, resolved against its URL."""
    text = body.decode("utf-8", "replace")
    return [urljoin(base_url, m.strip()) for m in re.findall(r"(?im)^\s*sitemap\s*:\s*(\S+)", text)]


def category_links(html: str, url: str, source: SourceConfig | None) -> tuple[list[str], list[str]]:
    """(article URLs, next-page URLs) of a category/listing page."""
    sel = Selector(text=html)
    queries = (source.list_links if source else ()) or ("a::attr(href)",)
    hrefs = [h for q in queries for h in select(sel, q).getall()] + sel.css("a::attr(href)").getall()
    links = [urljoin(url, h.strip()) for h in hrefs if h and not h.startswith(("javascript:", "mailto:", "#"))]
    articles = [u for u in dict.fromkeys(links) if source is None or source.is_article_url(u)]
    nexts = [urljoin(url, h.strip()) for q in ((source.next_page if source else ()) or ("a[rel=next]::attr(href)",))
             for h in select(sel, q).getall() if h]
    pat = source.pattern("page_url") if source else None
    paging = [u for u in links if pat and pat.search(u)]
    return articles, [u for u in dict.fromkeys(nexts + paging) if u != url]
