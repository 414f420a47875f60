"""Scrapy's Downloader with the politeness floor and the circuit breaker applied at dispatch.

1. Per-slot concurrency when a slot has no delay. In Scrapy 2.19 with the asyncio reactor,
   `Downloader._process_queue` pops queued requests while `slot.free_transfer_slots() > 0`, but a
   request only enters `slot.transferring` once its download task starts, i.e. after the loop.
   With a zero delay the loop emptied the whole slot queue at once (bursts of 32 connects that
   overflow the listen backlog of a local test server). Here a request is counted as transferring
   as soon as it leaves the slot queue.
2. The delay between two requests to one host is never below the host's floor,
   max(robots `Crawl-delay`, the source's `min_delay`, 1 s) (`PolitenessMiddleware.floors`),
   whatever AutoThrottle or the random jitter did to `slot.delay`. Every request to the host
   passes here: retries, redirects, robots.txt, and discovery running beside article fetches.
   A small margin absorbs connection set-up jitter, so the gaps the server sees stay above it.
3. The circuit breaker is asked at dispatch, not when a request enters the queue: once it trips,
   requests already queued for the host fail with `CircuitOpen` (counted `circuit_open`), and
   while a host is failing no more requests are in flight than the failures it may still take.
"""
from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader as _ScrapyDownloader
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro
from twisted.python.failure import Failure

MARGIN = 0.05   # seconds added to a politeness floor


class Downloader(_ScrapyDownloader):
    """Reserves the transfer slot synchronously and applies the politeness floor and breaker."""

    def _floor(self, key: str) -> float:
        floors = getattr(self.crawler, "xdd_floors", None)
        if not floors:
            return 0.0
        return floors.get(key, floors.get("*", 0.0))

    def _process_queue(self, slot) -> None:
        if slot.latercall:
            return
        key = next((k for k, s in self.slots.items() if s is slot), "")
        breaker = getattr(self.crawler, "xdd_breaker", None)
        if breaker is not None:
            while slot.queue and breaker.is_open(key):
                request, queue_dfd = slot.queue.popleft()
                queue_dfd.errback(Failure(breaker.exception(key)))
        now = monotonic()
        floor = self._floor(key)
        delay = max(slot.download_delay(), floor + MARGIN if floor else 0.0)
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            if breaker is not None and not breaker.may_send(key, len(slot.transferring)):
                break
            request, queue_dfd = slot.queue.popleft()
            gap = now - slot.lastseen if slot.lastseen else None
            slot.lastseen = now
            slot.transferring.add(request)   # reserve now, not when the task starts
            self._record(key, gap, floor)
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:   # prevent bursts when an inter-request delay is configured
                self._process_queue(slot)
                break

    def _record(self, key: str, gap: float | None, floor: float) -> None:
        stats = self.crawler.stats
        stats.inc_value(f"xdd/politeness/requests/{key}")
        if floor:
            stats.set_value(f"xdd/politeness/floor/{key}", round(floor, 3))
        if gap is not None:
            stats.min_value(f"xdd/politeness/min_gap/{key}", round(gap, 3))
