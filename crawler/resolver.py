"""DNS with host overrides (`XDD_HOSTS = {"test-site.invalid": "127.0.0.1"}`), else Scrapy's cache.

Tests serve a local site under a non-loopback name, so the crawl is as polite as against a real
host (loopback hosts get no delay).
"""
from __future__ import annotations

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer


class MappedResolver(CachingThreadedResolver):
    """CachingThreadedResolver that answers the names of `XDD_HOSTS` itself."""

    hosts: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.hosts = {k.lower(): v for k, v in (crawler.settings.getdict("XDD_HOSTS") or {}).items()}
        return resolver

    def getHostByName(self, name: str, timeout=()):
        ip = self.hosts.get(name.lower())
        if ip:
            return defer.succeed(ip)
        return super().getHostByName(name, timeout)
