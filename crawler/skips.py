"""Skip markers: how a page that yields no article travels to the skip log."""
from __future__ import annotations

from scrapy.exceptions import DropItem


class Skip(DropItem):
    """A counted skip with a reason (`empty_body`, `http_404`, ...) and a detail."""

    def __init__(self, reason: str, detail: str = "", url: str = "", source: str | None = None):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.detail, self.url, self.source = reason, detail, url, source


def skip_item(reason: str, url: str, detail: str = "", source: str | None = None) -> dict:
    """An item the validate pipeline turns into a `Skip` drop."""
    return {"_skip": reason, "url": url, "detail": detail, "source": source}


def failure_reason(failure) -> tuple[str, str]:
    """(reason, detail) for a request errback failure."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError

    exc = failure.value
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}", ""
    from crawler.middlewares import RedirectLoop, TooManyRedirects

    if isinstance(exc, RedirectLoop):
        return "redirect_loop", str(exc)
    if isinstance(exc, TooManyRedirects):
        return "too_many_redirects", str(exc)
    if isinstance(exc, IgnoreRequest):
        msg = str(exc)
        if "circuit" in msg.lower():
            return "circuit_open", msg
        return ("robots", msg) if "robots" in msg.lower() else ("ignored", msg)
    name = type(exc).__name__
    if name == "DownloadCancelledError" or "max size" in str(exc).lower():   # DOWNLOAD_MAXSIZE
        return "too_large", (str(exc) or "cancelled above DOWNLOAD_MAXSIZE while downloading")[:200]
    if "Timeout" in name or "timeout" in str(exc).lower():
        return "timeout", name
    return "network_error", f"{name}: {exc}"[:200]
