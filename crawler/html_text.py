"""Selector helpers and block-aware text extraction from lxml elements."""
from __future__ import annotations

from parsel import Selector, SelectorList

from crawler.text import normalise, squash, squash_line

BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol blockquote tr td th table section article figure "
    "figcaption pre header footer dd dt dl br hr aside nav main center".split()
)
SILENT = frozenset("script style noscript template svg button select option form iframe object".split())


def select(sel: Selector | SelectorList, query: str) -> SelectorList:
    """CSS by default; `xpath:` prefix for XPath (made relative to `sel`)."""
    if query.startswith("xpath:"):
        xp = query[6:]
        return sel.xpath("." + xp if xp.startswith("//") else xp)
    return sel.css(query)


def _value(match: Selector, query: str) -> str:
    if "::attr(" in query or "::text" in query or query.startswith("xpath:") and "/@" in query:
        return match.get() or ""
    return " ".join(match.xpath(".//text()").getall())


def first_text(sel: Selector, queries: tuple[str, ...]) -> str | None:
    """Squashed text of the first non-empty match over `queries`, in order."""
    for q in queries:
        for match in select(sel, q):
            text = squash(_value(match, q))
            if text:
                return text
    return None


def all_texts(sel: Selector, queries: tuple[str, ...]) -> list[str]:
    """Squashed, de-duplicated texts of every match of the first query that matches."""
    for q in queries:
        found = [squash(_value(m, q)) for m in select(sel, q)]
        found = list(dict.fromkeys(t for t in found if t))
        if found:
            return found
    return []


def first_node(sel: Selector, queries: tuple[str, ...]) -> Selector | None:
    """The first element matched by `queries`, in order."""
    for q in queries:
        found = select(sel, q)
        if found:
            return found[0]
    return None


def drop(node: Selector, queries: tuple[str, ...]) -> int:
    """Remove every element under `node` matching `queries`; returns how many."""
    n = 0
    for q in queries:
        for match in select(node, q):
            n += _remove(match.root)
    return n


def _remove(el) -> int:
    """Remove an element but keep its tail text."""
    parent = el.getparent() if hasattr(el, "getparent") else None
    if parent is None:
        return 0
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
    return 1


def _walk(el, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else None
    if tag is not None and tag not in SILENT:
        block = tag.lower() in BLOCKS
        if block:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            _walk(child, parts)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")


def element_lines(el) -> list[str]:
    """Non-empty text lines of an element, one per block (p, li, h2, div, br, ...)."""
    parts: list[str] = []
    _walk(el, parts)
    return [line for line in (squash_line(normalise(x)) for x in "".join(parts).split("\n")) if line]
