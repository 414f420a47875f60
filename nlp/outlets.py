"""News outlets and portals → home province, for implicit localities ('toàn tỉnh' in a
provincial party paper means the paper's province).

Data: ``data/reference/outlets.csv`` (host, name, kind, province, province_2025, source), loaded
once. A URL, a host or a crawler source name ('baocantho') is matched against the table's hosts
and their parent domains: ``dukcq.hatinh.gov.vn`` → the ``hatinh.gov.vn`` row.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from nlp.resources import reference_path


@dataclass(frozen=True)
class Outlet:
    host: str
    name: str
    kind: str  # party_paper, party_portal, gov_portal, city_paper, national
    province: str  # pre-July-2025 name, '' for national outlets
    province_2025: str
    source: str


@lru_cache(maxsize=1)
def outlets() -> dict[str, Outlet]:
    """host → Outlet, from outlets.csv."""
    with reference_path("outlets.csv").open(encoding="utf-8", newline="") as fh:
        return {r["host"]: Outlet(**r) for r in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def names() -> dict[str, Outlet]:
    """Crawler source name → Outlet: the first label of a host ('baocantho' for
    'baocantho.com.vn'); a name two hosts share goes to the first row."""
    out: dict[str, Outlet] = {}
    for host, o in outlets().items():
        out.setdefault(host.split(".", 1)[0], o)
    return out


def host_of(url_or_host: str | None) -> str | None:
    """Lower-case host of a URL or bare host, without port, 'www.' or trailing dot."""
    if not isinstance(url_or_host, str):
        return None
    s = url_or_host.strip().lower()
    if not s or any(c.isspace() for c in s):
        return None
    try:
        host = urlsplit(s if "//" in s else "//" + s).hostname or ""
    except ValueError:
        return None
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host or None


def outlet_for(url_or_host: str | None) -> Outlet | None:
    """The outlet of a URL, host (or any parent domain of it) or crawler source name."""
    host = host_of(url_or_host)
    if host is None:
        return None
    table = outlets()
    labels = host.split(".")
    for i in range(len(labels) - 1):
        hit = table.get(".".join(labels[i:]))
        if hit:
            return hit
    return names().get(host) if len(labels) == 1 else None


def home_province(url_or_host: str | None, merged: bool = False) -> str | None:
    """Home province of an outlet (pre-2025 name, or post-merger with ``merged``); None for
    national outlets and unknown hosts."""
    o = outlet_for(url_or_host)
    if o is None:
        return None
    return (o.province_2025 if merged else o.province) or None
