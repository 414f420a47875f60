"""Scrapy's Downloader with per-slot concurrency enforced when a slot has no delay.

In Scrapy 2.19 with the asyncio reactor, `Downloader._process_queue` pops queued requests
while `slot.free_transfer_slots() > 0`, but a request only enters `slot.transferring` once
its download task starts running, i.e. after the loop. With a zero delay the loop therefore
empties the whole slot queue at once: `CONCURRENT_REQUESTS_PER_DOMAIN` is not applied and a
host gets up to `CONCURRENT_REQUESTS` simultaneous connections. (With a delay the loop stops
after one request, so polite slots were not affected.)

On a loopback test server (Python's `ThreadingHTTPServer`, listen backlog 5) those bursts of
32 connects overflow the accept queue; dropped SYNs are retried after ~1 s, which stalled the
local crawl at ~40 pages/s. Here a request is counted as transferring as soon as it leaves
the slot queue, so the per-slot limit holds.
"""
from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader as _ScrapyDownloader
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class Downloader(_ScrapyDownloader):
    """Reserves the transfer slot synchronously (`transferring` is a set, so the later add is a no-op)."""

    def _process_queue(self, slot) -> None:
        if slot.latercall:
            return
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)   # reserve now, not when the task starts
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:   # prevent bursts when an inter-request delay is configured
                self._process_queue(slot)
                break
