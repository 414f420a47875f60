"""xdd NLP: pure functions from Vietnamese article text to the extraction contract.

    >>> from nlp import extract
    >>> extract("Đảng bộ tỉnh có 70.592 đảng viên.", doc_id="x")["metrics"][0]["value"]
    70592

No I/O except loading reference data from ``data/reference`` once (cached).
This package never imports ``crawler`` or ``pipelines``.
"""
from __future__ import annotations

__all__ = ["extract"]


def extract(text: str, doc_id: str | None = None, published: str | None = None, **context) -> dict:
    """Extract entities, directives, metrics and practices (contract v2) from one text;
    ``context`` may give ``url``, ``source``, ``title``, ``lead`` (see ``nlp.article``)."""
    from nlp.core import extract as _extract

    return _extract(text, doc_id=doc_id, published=published, **context)
