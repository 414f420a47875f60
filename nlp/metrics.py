"""Figures. (STUB: replaced by the figures work.)"""
from __future__ import annotations


def find_metrics(text: str, sentences: list[tuple[int, int]], entities: list[dict],
                 directives: list[dict], published: str | None = None,
                 doc_province: str | None = None) -> list[dict]:
    return []
