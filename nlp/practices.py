"""Practices (cách làm, mô hình, ...). (STUB: replaced by the practices work.)"""
from __future__ import annotations


def find_practices(text: str, sentences: list[tuple[int, int]]) -> list[dict]:
    return []
