"""The extraction stages without spaCy: what the pipeline's components compute, in their order.

Every extractor reads the raw text, never the spaCy tokens: the tokens only carry the entity
and sentence spans of a ``Doc`` (for displaCy, ``xdd show --html``). So the components of
``nlp.spacy_pipeline`` are thin wrappers over the stages here, which read and write the same
``xdd_*`` attributes on any object: ``Doc._`` there, an ``Annotations`` here. ``nlp.extract``
runs the stages directly and a fresh process never imports spaCy nor underthesea (about 1.3 s
of CPU on the development machine); the results are those of the pipeline, as the stages are
the same functions (tests/test_spacy_pipeline.py compares the two paths on the seeds).
"""
from __future__ import annotations

import importlib
import logging

log = logging.getLogger(__name__)


class ExtractorError(RuntimeError):
    """An extractor raised inside a component. Raised by default, as spaCy does: a failure
    must not become an empty result stored as if true. ``cause_type`` names the original
    exception (``KeyError``...), which is chained as ``__cause__``. To keep going instead,
    configure the pipeline the spaCy way: ``nlp.set_error_handler(handler)`` (the handler gets
    the component's name, the component, the docs and this error)."""

    def __init__(self, target: str, cause_type: str, detail: str = ""):
        self.target, self.cause_type, self.detail = target, cause_type, detail
        super().__init__(f"extractor {target} failed: {cause_type}: {detail}")

    def __reduce__(self):  # picklable across worker processes
        return type(self), (self.target, self.cause_type, self.detail)


def _call(target: str, *args, **kwargs):
    """Call ``"module:function"`` (imported on use); a failure raises ``ExtractorError``
    (per-document limits, ``nlp.settings.ExtractLimitError``, pass through as they are)."""
    from nlp.settings import ExtractLimitError

    module, name = target.split(":")
    try:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)
    except (ExtractorError, ExtractLimitError):
        raise
    except Exception as exc:  # noqa: BLE001 - wrapped with the extractor's name, never swallowed
        log.debug("extractor %s failed", target, exc_info=True)
        raise ExtractorError(target, type(exc).__name__, str(exc)[:300]) from exc


def _safe(target: str, *args, **kwargs) -> list:
    """``_call`` for list-returning extractors: a result that is not a list counts as []
    (an extractor's "nothing usable"); a failure raises ``ExtractorError``."""
    out = _call(target, *args, **kwargs)
    return out if isinstance(out, list) else []


class Annotations:
    """What the stages read and write (the ``Doc._.xdd_*`` extensions of the spaCy pipeline)."""

    __slots__ = ("xdd_text", "xdd_doc_id", "xdd_published", "xdd_dated", "xdd_meta", "xdd_province",
                 "xdd_sentences", "xdd_entities", "xdd_directives", "xdd_metrics", "xdd_practices")

    def __init__(self, text: str, meta) -> None:
        for name in self.__slots__:
            setattr(self, name, None)
        self.xdd_text, self.xdd_meta = text, meta
        self.xdd_doc_id, self.xdd_published = meta.doc_id, meta.published


def article_province(text: str, ents: list[dict], meta, dated: str | None = None) -> str | None:
    """The article's main province as named at its time (``dated``: the publication date or
    the page's date line): title and lead, body, outlet."""
    from nlp.article import ArticleMeta
    from nlp.entities import find_entities
    from nlp.localities import after_merger, article_province as resolve
    from nlp.outlets import home_province

    meta = meta if isinstance(meta, ArticleMeta) else ArticleMeta()
    heading = meta.heading
    merged = after_merger(dated)
    outlet = home_province(meta.url or meta.source, merged=merged) or home_province(meta.source, merged=merged)
    return resolve(text, ents, heading, find_entities(heading) if heading else (), outlet, merged,
                   national=is_national(meta))


def is_national(meta) -> bool:
    """The article comes from a national outlet (data/reference/outlets.csv, kind national)."""
    from nlp.outlets import outlet_for

    o = outlet_for(getattr(meta, "url", None) or getattr(meta, "source", None)) if meta is not None else None
    return o is not None and o.kind == "national"


def sentences_of(a, text: str) -> list[tuple[int, int]]:
    sents = a.xdd_sentences
    if sents is None:
        sents = _safe("nlp.sentences:split_sentences", text)
    return sents


# ------------------------------------------------------------------ the stages, in pipeline order
def sentences(a, text: str) -> None:
    a.xdd_sentences = _safe("nlp.sentences:split_sentences", text)


def entities(a, text: str) -> None:
    ents = [e for e in _safe("nlp.entities:find_entities", text) if isinstance(e, dict)]
    a.xdd_entities = ents
    # the input's date, else the page's date line (read once; the figures use it too)
    a.xdd_dated = a.xdd_published or _call("nlp.periods:dateline", text)
    province = _call("nlp.stages:article_province", text, ents, a.xdd_meta, a.xdd_dated)
    a.xdd_province = province if isinstance(province, str) else None


def directives(a, text: str) -> None:
    a.xdd_directives = _safe("nlp.directives:find_directives", text, published=a.xdd_published)


def metrics(a, text: str) -> None:
    a.xdd_metrics = _safe("nlp.metrics:find_metrics", text, sentences_of(a, text),
                          a.xdd_entities or [], a.xdd_directives or [],
                          published=a.xdd_dated, doc_province=a.xdd_province,
                          national=is_national(a.xdd_meta))


def practices(a, text: str) -> None:
    found = _safe("nlp.practices:find_practices", text, sentences_of(a, text))
    meta = a.xdd_meta
    published = (meta.published if meta is not None else None) or a.xdd_published
    a.xdd_practices = _safe("nlp.practice_records:describe_practices", text, found,
                            a.xdd_entities or [], a.xdd_directives or [],
                            a.xdd_metrics or [], published, a.xdd_province) if found else []


STAGES = (("xdd_sentences", sentences), ("xdd_entities", entities), ("xdd_directives", directives),
          ("xdd_metrics", metrics), ("xdd_practices", practices))


def run(text: str, meta) -> Annotations:
    """Every stage on one text (already cleaned), as the spaCy pipeline runs its components."""
    a = Annotations(text, meta)
    for _, stage in STAGES:
        stage(a, text)
    return a


def contract(a) -> dict:
    """The extraction-contract dict of annotated text (plus `sentences`: [start, end] spans,
    so that loading need not split the text again)."""
    return {"doc_id": a.xdd_doc_id, "province": a.xdd_province,
            "entities": a.xdd_entities or [], "directives": a.xdd_directives or [],
            "metrics": a.xdd_metrics or [], "practices": a.xdd_practices or [],
            "sentences": [[s, e] for s, e in a.xdd_sentences or []]}
