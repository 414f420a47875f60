"""Web interface server time: p50/p95 of the search, compare and article pages (the app's own
time, from its Server-Timing header, and the time a client waits over HTTP on 127.0.0.1), side
by side with the library call behind each (what the CLI runs). On the demo knowledge base
(built into a temporary folder unless --db is given) or any other (--db).

    .venv/bin/python -m benchmarks.bench_web [--db data/xdd.duckdb] [--rounds 5]
"""
from __future__ import annotations

import argparse
import http.client
import json
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

OUT = Path(__file__).parent / "out" / "bench_web.json"
QUERIES = ["sinh hoạt chi bộ", "kết nạp đảng viên", "chuyen doi so", "kiểm tra giám sát", '"chi bộ" -Zalo',
           "đảng viên"]
FILTERS = [{}, {"province": "Bắc Ninh", "merged": "1"}, {"kind": "practice"}, {"since": "2023-01-01"}]


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))], 2) if xs else 0.0


def summary(xs: list[float]) -> dict:
    return {"n": len(xs), "p50_ms": pct(xs, 0.5), "p95_ms": pct(xs, 0.95), "max_ms": round(max(xs), 2) if xs else 0}


def urls(con) -> dict[str, list[str]]:
    from pipelines.web.queries import indicators

    docs = [r[0] for r in con.execute("SELECT doc_id FROM articles WHERE duplicate_of IS NULL ORDER BY doc_id LIMIT 200").fetchall()]
    keys = [i["key"] for i in indicators(con, "total", "province", "count")[:5]] or ["dang_vien"]
    return {
        "search": ["/search?" + urlencode({"q": q, **f}) for q in QUERIES for f in FILTERS],
        "compare": ["/compare?" + urlencode({"indicator": k, "view": v}) for k in keys for v in ("table", "chart", "map")],
        "article": ["/article/" + quote(d, safe="") for d in docs],
    }


def library_times(db_path: Path, rounds: int) -> dict:
    """The calls the CLI makes for the same questions (its own query time, no HTTP, no page)."""
    from pipelines import compare as cmp, db
    from pipelines.search import SearchFilters, search
    from pipelines.series import Series
    from pipelines.web.queries import indicators

    out: dict[str, list[float]] = {"search": [], "compare": []}
    with db.connect(db_path, read_only=True) as con:
        keys = [i["key"] for i in indicators(con, "total", "province", "count")[:5]] or ["dang_vien"]
        for _ in range(rounds):
            for q in QUERIES:
                for f in FILTERS:
                    t = time.perf_counter()
                    search(con, q, SearchFilters(province=f.get("province"), merged=bool(f.get("merged")),
                                                 kind=f.get("kind"), since=f.get("since")), limit=10)
                    out["search"].append((time.perf_counter() - t) * 1000)
            for k in keys:
                t = time.perf_counter()
                cmp.latest_table(con, k, series=Series())
                out["compare"].append((time.perf_counter() - t) * 1000)
    return {k: summary(v) for k, v in out.items()}


@contextmanager
def serving(db_path: Path):
    """`xdd serve` in its own process (as a user runs it) on a free port of 127.0.0.1."""
    from pipelines.web.server import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipelines", "serve", "--db", str(db_path), "--port", str(port)],
                            stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("xdd serve did not start")
                time.sleep(0.1)
        yield "127.0.0.1", port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def run(db_path: Path, rounds: int) -> dict:
    from pipelines import db

    with db.connect(db_path, read_only=True) as con:
        pages = urls(con)
    result = {"db": str(db_path), "rounds": rounds, "pages": {}}
    with serving(db_path) as (host, port):
        conn = http.client.HTTPConnection(host, port, timeout=60)
        for group in pages.values():                # warm up: first requests load caches
            for path in group[:3]:
                conn.request("GET", path)
                conn.getresponse().read()
        for name, group in pages.items():
            server, client, sizes = [], [], []
            for _ in range(rounds):
                for path in group:
                    t = time.perf_counter()
                    conn.request("GET", path)
                    resp = conn.getresponse()
                    body = resp.read()
                    client.append((time.perf_counter() - t) * 1000)
                    if resp.status != 200:
                        raise SystemExit(f"{path}: HTTP {resp.status}")
                    timing = resp.getheader("server-timing") or ""
                    server.append(float(timing.split("dur=")[1]) if "dur=" in timing else client[-1])
                    sizes.append(len(body))
            result["pages"][name] = {"server": summary(server), "client": summary(client),
                                     "max_bytes": max(sizes), "urls": len(group)}
        conn.close()
    result["library"] = library_times(db_path, rounds)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="knowledge base (default: the demo, built in a temporary folder)")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    if args.db:
        result = run(args.db, args.rounds)
    else:
        from pipelines.demo import run_demo

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "xdd.duckdb"
            run_demo(path, work=Path(tmp) / "work")
            result = run(path, args.rounds)
        result["db"] = "demo (temporary)"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    for name, r in result["pages"].items():
        lib = result["library"].get(name)
        print(f"{name:8} server p50 {r['server']['p50_ms']:6.1f} ms  p95 {r['server']['p95_ms']:6.1f} ms  | "
              f"client p95 {r['client']['p95_ms']:6.1f} ms  | largest page {r['max_bytes'] / 1024:5.1f} KB"
              + (f"  | library (CLI) p95 {lib['p95_ms']:6.1f} ms" if lib else ""))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
