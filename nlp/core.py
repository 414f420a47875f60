"""Composition of the extractors into one contract dict, through the spaCy pipeline."""
from __future__ import annotations

from nlp.text import clean

CONTRACT_KEYS = ("doc_id", "province", "entities", "directives", "metrics", "practices")


def _as_text(text) -> str:
    """The text to extract from: non-strings become '' (bad input never raises)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return clean(text) if isinstance(text, str) else ""


def _as_opt_str(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def empty(doc_id: str | None = None) -> dict:
    """The contract dict of a document with nothing found."""
    return {"doc_id": doc_id, "province": None, "entities": [], "directives": [],
            "metrics": [], "practices": [], "sentences": []}


def extract(text: str, doc_id: str | None = None, published: str | None = None, *,
            url: str | None = None, source: str | None = None, title: str | None = None,
            lead: str | None = None) -> dict:
    """Contract v2 dict for one article; offsets index ``clean(text)`` (NFC). ``url``,
    ``source``, ``title``, ``lead`` and ``published`` are context (see ``nlp.article``)."""
    from nlp.article import ArticleMeta
    from nlp.spacy_pipeline import process, to_contract

    text = _as_text(text)
    doc_id = doc_id if isinstance(doc_id, str) or doc_id is None else str(doc_id)
    if not text.strip():
        return empty(doc_id)
    meta = ArticleMeta.of(doc_id, published=_as_opt_str(published), url=url, source=source,
                          title=title if not isinstance(title, str) else clean(title),
                          lead=lead if not isinstance(lead, str) else clean(lead))
    return to_contract(process(text, meta=meta))
