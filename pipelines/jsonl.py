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
            obj = _object(line, bad)
            if obj is not None:
                yield obj


def read_jsonl_at(path: Path, bad: dict[str, int] | None = None) -> Iterator[tuple[int, dict]]:
    """(byte offset, object) for each object of a JSONL file, bad lines counted as
    ``read_jsonl`` counts them: what an index of a file too big to hold in memory needs."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such file: {path}")
    with path.open("rb") as fh:
        offset = 0
        for raw in fh:
            at, offset = offset, offset + len(raw)
            obj = _object(raw.decode("utf-8", errors="replace"), bad)
            if obj is not None:
                yield at, obj


class KeyedJsonl:
    """The objects of a JSONL file by a key, read from disk when asked for: only the key and the
    line's offset are held (``xdd load`` pairs a million articles with their extractions without
    holding either file). The last line with a key wins, as a dict built from the file would."""

    def __init__(self, path: Path, key: str, bad: dict[str, int] | None = None) -> None:
        self.path = Path(path)
        self.key = key
        self.offsets: dict = {obj.get(key): at for at, obj in read_jsonl_at(self.path, bad)}
        self._fh = None

    def get(self, value) -> dict | None:
        at = self.offsets.get(value)
        if at is None:
            return None
        if self._fh is None:
            self._fh = self.path.open("rb")
        self._fh.seek(at)
        return json.loads(self._fh.readline().decode("utf-8", errors="replace"))

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> "KeyedJsonl":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _object(line: str, bad: dict[str, int] | None) -> dict | None:
    """The JSON object on a line; None for a blank line, or a bad one (counted in `bad`)."""
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        _count(bad, "bad_json")
        return None
    if isinstance(obj, dict):
        return obj
    _count(bad, "not_an_object")
    return None


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
