"""A quiet static HTTP server on 127.0.0.1 at a free port (for the demo site and tests)."""
from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".html": "text/html; charset=utf-8",
                      ".htm": "text/html; charset=utf-8", ".xml": "application/xml; charset=utf-8",
                      ".rss": "application/rss+xml; charset=utf-8", ".txt": "text/plain; charset=utf-8"}

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


class _Server(ThreadingHTTPServer):
    request_queue_size = 128   # the crawler opens several connections at once
    daemon_threads = True


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve `root` until the block ends; yields the base URL (no trailing slash)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
