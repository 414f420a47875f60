"""Reading and writing JSON Lines with bad lines counted, never raised."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from pipelines.errors import InputError


def read_jsonl(path: Path, bad: dict[str, int] | None = None) -> Iterator[dict]:
    """Objects of a JSONL file; malformed lines are counted in `bad` under a reason."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such file: {path}")
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                _count(bad, "bad_json")
                continue
            if isinstance(obj, dict):
                yield obj
            else:
                _count(bad, "not_an_object")


def _count(bad: dict[str, int] | None, reason: str) -> None:
    if bad is not None:
        bad[reason] = bad.get(reason, 0) + 1


def write_jsonl(path: Path, rows) -> int:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n
