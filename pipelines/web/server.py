"""Running the web interface: uvicorn on 127.0.0.1 (or the host asked for), in the foreground
(`xdd serve`) or in a thread (tests, benchmarks)."""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pipelines.errors import InputError

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000


def _server(db_path: Path, host: str, port: int, linger: float = 0.5):
    import uvicorn

    from pipelines.web.app import create_app

    config = uvicorn.Config(create_app(db_path, linger=linger), host=host, port=port, log_level="warning",
                            access_log=False, lifespan="on")
    return uvicorn.Server(config)


def check_port(host: str, port: int) -> None:
    """A one-line error when the port is taken (rather than uvicorn's traceback-like exit)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc} (try --port)") from None


def serve_forever(db_path: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, echo=print) -> None:
    check_port(host, port)
    shown = f"[{host}]" if ":" in host else host
    echo(f"xdd web: http://{shown}:{port}/ — mở địa chỉ này trong trình duyệt (Ctrl+C để dừng); "
         f"knowledge base {db_path}")
    _server(db_path, host, port).run()


def free_port(host: str = DEFAULT_HOST) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextmanager
def running(db_path: Path, host: str = DEFAULT_HOST, port: int | None = None, linger: float = 0.5) -> Iterator[str]:
    """Serve in a background thread until the block ends; yields the base URL."""
    port = port or free_port(host)
    server = _server(db_path, host, port, linger)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web server did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
