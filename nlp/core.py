"""Composition of the extractors into one contract dict (plain-function path)."""
from __future__ import annotations

from nlp import directives, entities, gazetteer, metrics, practices, sentences
from nlp.text import clean


def extract(text: str, doc_id: str | None = None, published: str | None = None) -> dict:
    text = clean(text)
    sents = sentences.split_sentences(text)
    ents = entities.find_entities(text)
    docs = directives.find_directives(text, published=published)
    province = gazetteer.main_province(text, ents)
    figs = metrics.find_metrics(text, sents, ents, docs, published=published, doc_province=province)
    pracs = practices.find_practices(text, sents)
    return {"doc_id": doc_id, "province": province, "entities": ents, "directives": docs,
            "metrics": figs, "practices": pracs}
