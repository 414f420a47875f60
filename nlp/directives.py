"""Party and state documents. (STUB: replaced by the directives work.)"""
from __future__ import annotations


def find_directives(text: str, published: str | None = None) -> list[dict]:
    return []
