"""Declarative per-site configs (`crawler/sources/*.toml`) and URL → source routing."""
from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

SOURCES_DIR = Path(__file__).with_name("sources")
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


@dataclass(frozen=True)
class SourceConfig:
    """One news site: where to discover articles and how to read them."""

    name: str
    label: str
    domains: tuple[str, ...]
    article_url: str
    article_id: str
    selectors: dict[str, tuple[str, ...]]
    exclude: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    list_links: tuple[str, ...] = ()
    next_page: tuple[str, ...] = ()
    page_url: str = r"[?&](page|p)=\d+|/(page|trang)[-/]?\d+/?$|/p\d+/?$"
    max_category_pages: int = 20
    deny: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    sitemap_deny: tuple[str, ...] = ()
    date_order: str = "dmy"
    feed_date_order: str = "dmy"
    date_formats: tuple[str, ...] = ()
    lead_tag: str = ""
    min_delay: float = 1.0
    notes: str = ""
    evidence: str = ""            # what the config's URL shapes and selectors rest on
    generic: bool = False         # built from data/reference/outlets.csv, no selectors of its own
    robots_sitemaps: bool = False  # discover sitemaps from robots.txt (then /sitemap.xml, /rss)
    _re: dict = field(default_factory=dict, compare=False, repr=False)

    def pattern(self, key: str) -> re.Pattern | None:
        """Compiled regex for `article_url`, `article_id`, `page_url` or `lead_tag`."""
        if key not in self._re:
            src = getattr(self, key)
            self._re[key] = re.compile(src) if src else None
        return self._re[key]

    def is_article_url(self, url: str) -> bool:
        """True when the URL matches `article_url` and no `deny` pattern."""
        path = _path_q(url)
        if any(re.search(d, path) for d in self.deny):
            return False
        pat = self.pattern("article_url")
        return bool(pat and pat.search(path))

    def is_alias(self, url: str) -> bool:
        """True for alternative views of an article (e.g. `/print/`): scheduled after the main URL."""
        return any(re.search(a, _path_q(url)) for a in self.aliases)

    def article_id_of(self, url: str | None) -> str | None:
        """The site's article id found in a URL (its path), or None."""
        if not url:
            return None
        m = self.pattern("article_id").search(_path_q(url))
        return m.group(1) if m else None

    def owns(self, host: str) -> bool:
        """True when `host` is one of `domains` or a subdomain of one."""
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.domains)


def _path_q(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (("?" + parts.query) if parts.query else "")


def _tuple(v) -> tuple[str, ...]:
    if v is None:
        return ()
    return (v,) if isinstance(v, str) else tuple(v)


def config_from_dict(data: dict) -> SourceConfig:
    """Build a SourceConfig from one parsed TOML document."""
    disc = data.get("discovery", {})
    dates = data.get("dates", {})
    sel = {k: _tuple(v) for k, v in data.get("selectors", {}).items()}
    exclude = _tuple(data.get("exclude")) + sel.pop("exclude", ())
    return SourceConfig(
        name=data["name"], label=data.get("label", data["name"]),
        domains=_tuple(data["domains"]), article_url=data["article_url"],
        article_id=data["article_id"], selectors=sel, exclude=exclude,
        sitemaps=_tuple(disc.get("sitemaps")), feeds=_tuple(disc.get("feeds")),
        categories=_tuple(disc.get("categories")), list_links=_tuple(disc.get("list_links")),
        next_page=_tuple(disc.get("next_page")),
        page_url=disc.get("page_url", SourceConfig.page_url),
        max_category_pages=int(disc.get("max_pages", 20)), deny=_tuple(data.get("deny")),
        aliases=_tuple(data.get("aliases")),
        sitemap_deny=_tuple(disc.get("sitemap_deny")),
        date_order=dates.get("order", "dmy"), feed_date_order=dates.get("feed_order", "dmy"),
        date_formats=_tuple(dates.get("formats")), lead_tag=data.get("lead_tag", ""),
        min_delay=float(data.get("min_delay", 1.0)), notes=data.get("notes", ""),
        evidence=data.get("evidence", ""), robots_sitemaps=bool(disc.get("robots", False)),
    )


@lru_cache(maxsize=4)
def _load(directory: str) -> dict[str, SourceConfig]:
    out: dict[str, SourceConfig] = {}
    for path in sorted(Path(directory).glob("*.toml")):
        if path.name.startswith("_"):
            continue
        cfg = config_from_dict(tomllib.loads(path.read_text(encoding="utf-8")))
        out[cfg.name] = cfg
    return out


def sources_dir() -> Path:
    """`crawler/sources`, or `$XDD_SOURCES_DIR` (tests point it at configs for local sites)."""
    return Path(os.environ.get("XDD_SOURCES_DIR") or SOURCES_DIR)


def load_sources(directory: Path | None = None) -> dict[str, SourceConfig]:
    """All configured sources by name (files starting with `_` are shared settings)."""
    return dict(_load(str(directory or sources_dir())))


# Generic mode for any outlet of data/reference/outlets.csv: article URLs end in a numeric id
# (`-a196670.html`, `-post566611.html`, `/12345`, `-102250101.htm`) or in .html/.htm/.aspx.
GENERIC_ARTICLE_URL = r"(?:[-_/](?:post|postid|a|p|n|d|t|id|news|tin)?\d{4,}(?:\.[a-z]{2,5})?/?$)|\.(?:html?|aspx|bbg|vgp)$"
GENERIC_ARTICLE_ID = r"(?:post|postid|[-_/]a|[-_/]p|[-_/])(\d{4,})(?:\.[a-z]{2,5})?/?$"
GENERIC_DENY = (r"/(?:tag|tags|chu-de|tim-kiem|search|video|videos|media|podcast|rss|lien-he|gioi-thieu|"
                r"quang-cao|emagazine|e-magazine|multimedia|infographic|anh|photo)(?:/|\.|$)",
                r"[?&](?:page|p)=\d+", r"/(?:page|trang)[-/]?\d+/?$")


def outlet_rows() -> dict:
    """Outlet name (first host label: `baodongnai`) → nlp.outlets.Outlet; {} without the table."""
    try:
        from nlp.outlets import names
    except ImportError:
        return {}
    try:
        return dict(names())
    except OSError:
        return {}


def generic_source(name: str) -> SourceConfig | None:
    """A generic-mode config for an outlet of outlets.csv (by name or host): no selectors, so
    every field comes from the generic layers; sitemaps from robots.txt, /sitemap.xml and /rss."""
    rows = outlet_rows()
    outlet = rows.get(name)
    if outlet is None:
        host = name.lower().removeprefix("www.")
        outlet = next((o for o in rows.values() if o.host == host), None)
        if outlet is None:
            return None
        name = host.split(".", 1)[0]
    host = outlet.host
    return SourceConfig(
        name=name, label=outlet.name, domains=(host,), article_url=GENERIC_ARTICLE_URL,
        article_id=GENERIC_ARTICLE_ID, selectors={}, exclude=(), deny=GENERIC_DENY,
        sitemaps=(), feeds=(), categories=(), generic=True, robots_sitemaps=True,
        sitemap_deny=(r"categor", r"tag", r"topic", r"video", r"image"),
        notes=f"generic mode: outlets.csv row {host} ({outlet.kind}, {outlet.province or 'national'})",
        evidence=outlet.source,
    )


def get_source(name: str | None) -> SourceConfig | None:
    """A configured source, else the generic config of an outlet in outlets.csv, else None."""
    if not name:
        return None
    return load_sources().get(name) or generic_source(name)


@lru_cache(maxsize=4)
def _common(directory: str) -> dict:
    return tomllib.loads((Path(directory) / "_common.toml").read_text(encoding="utf-8"))


def common_settings(directory: Path | None = None) -> dict:
    """Shared furniture patterns, relevance keywords and thresholds (`_common.toml`)."""
    d = directory or sources_dir()
    return _common(str(d if (Path(d) / "_common.toml").exists() else SOURCES_DIR))


def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def route(url: str, sources: dict[str, SourceConfig] | None = None) -> SourceConfig | None:
    """Source for a URL: by host, or for a loopback host by the first path segment."""
    sources = load_sources() if sources is None else sources
    parts = urlsplit(url)
    if is_loopback(parts.hostname):
        first = parts.path.strip("/").split("/", 1)[0]
        return sources.get(first)
    host = parts.hostname or ""
    return next((s for s in sources.values() if s.owns(host)), None)


def resolve_source(url: str, source: str | None, sources: dict[str, SourceConfig] | None = None
                   ) -> SourceConfig | None:
    """`source="auto"` routes by URL; a name picks that source; None means generic mode."""
    sources = load_sources() if sources is None else sources
    if source is None:
        return None
    if source == "auto":
        return route(url, sources)
    if source not in sources:
        generic = generic_source(source)
        if generic is not None:
            return generic
        raise KeyError(f"unknown source {source!r}; known: {', '.join(sorted(sources))} "
                       "or any outlet of data/reference/outlets.csv")
    return sources[source]
