"""Composition of the extractors into one contract dict: the stages of the spaCy pipeline, run
without spaCy (nlp.stages) unless this process built the pipeline (then through it).

Every document is checked against the limits of ``nlp.settings`` before any work: over a
limit, ``extract`` raises ``DocumentTooLarge`` (or ``ExtractTimeout`` when it runs longer than
``TIME_LIMIT``); an extractor that fails raises (``nlp.stages.ExtractorError``). A
result is therefore always the complete extraction of the whole text, never a partial or
empty one standing in for a failure.
"""
from __future__ import annotations

import math
import re
import signal
import sys
import threading
from contextlib import contextmanager

from nlp import settings
from nlp.settings import DocumentTooLarge, ExtractTimeout
from nlp.text import clean

CONTRACT_KEYS = ("doc_id", "province", "entities", "directives", "metrics", "practices")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"\S+")


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


def _count_upto(matches, limit: int) -> int:
    """How many matches, counting no further than ``limit + 1``."""
    n = 0
    for _ in matches:
        n += 1
        if n > limit:
            break
    return n


def check_size(text: str, *headings) -> None:
    """Raise ``DocumentTooLarge`` when ``text`` (clean) or a heading (title, lead) is over a
    limit of ``nlp.settings``."""
    for h in headings:
        if isinstance(h, str) and len(h) > settings.MAX_HEADING_CHARS:
            raise DocumentTooLarge(f"title or lead of {len(h)} characters > {settings.MAX_HEADING_CHARS}")
    if len(text) > settings.MAX_CHARS:
        raise DocumentTooLarge(f"{len(text)} characters > {settings.MAX_CHARS}")
    tokens = _count_upto(_TOKEN.finditer(text), settings.MAX_TOKENS)
    if tokens > settings.MAX_TOKENS:
        raise DocumentTooLarge(f"more than {settings.MAX_TOKENS} tokens")
    longest = max((m.end() - m.start() for m in _WORD.finditer(text)), default=0)
    if longest > settings.MAX_WORD_CHARS:
        raise DocumentTooLarge(f"a word of {longest} characters > {settings.MAX_WORD_CHARS}")
    from nlp.clauses import sentence_bounds, sentence_breaks
    from nlp.figure_candidates import RX_FIGURE

    breaks, n, work = sentence_breaks(text), 0, 0
    for m in RX_FIGURE.finditer(text):
        n += 1
        if n > settings.MAX_FIGURES:
            raise DocumentTooLarge(f"more than {settings.MAX_FIGURES} figure candidates")
        work += m.start() - sentence_bounds(text, m.start(), breaks)[0]
        if work > settings.MAX_FIGURE_WORK:
            raise DocumentTooLarge(f"figures in sentences too long: more than {settings.MAX_FIGURE_WORK} "
                                   "characters of context to read")


@contextmanager
def time_limit(seconds: float | None):
    """Raise ``ExtractTimeout`` in the block after ``seconds`` of wall time (SIGALRM; in the
    main thread only, elsewhere no limit). A timeout some code caught and swallowed is raised
    again when the block ends."""
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return
    fired = []

    def on_alarm(signum, frame):
        fired.append(True)
        raise ExtractTimeout(f"over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:
        raise ExtractTimeout(f"over {seconds:g} s")


def _finite(x) -> bool:
    return x is None or isinstance(x, int) or (isinstance(x, float) and math.isfinite(x))


def _drop_non_finite(out: dict) -> dict:
    """A figure whose value (or denominator) is not a finite number is not a figure."""
    figures = out.get("metrics") or []
    out["metrics"] = [m for m in figures if not isinstance(m, dict)
                      or (_finite(m.get("value")) and _finite(m.get("denominator")))]
    return out


def extract(text: str, doc_id: str | None = None, published: str | None = None, *,
            url: str | None = None, source: str | None = None, title: str | None = None,
            lead: str | None = None) -> dict:
    """Contract v2 dict for one article; offsets index ``clean(text)`` (NFC, Ð → Đ). ``url``,
    ``source``, ``title``, ``lead`` and ``published`` are context (see ``nlp.article``).

    Raises ``DocumentTooLarge`` / ``ExtractTimeout`` (``nlp.settings``) over a limit and
    ``ExtractorError`` when an extractor fails; input of the wrong type gives an empty result."""
    from nlp.article import ArticleMeta

    text = _as_text(text)
    doc_id = doc_id if isinstance(doc_id, str) or doc_id is None else str(doc_id)
    if not text.strip():
        return empty(doc_id)
    check_size(text, title, lead)
    with time_limit(settings.TIME_LIMIT):
        meta = ArticleMeta.of(doc_id, published=_as_opt_str(published), url=url, source=source,
                              title=title if not isinstance(title, str) else clean(title),
                              lead=lead if not isinstance(lead, str) else clean(lead))
        if _pipeline_built():      # components added to it the spaCy way take part
            from nlp.spacy_pipeline import process, to_contract

            out = to_contract(process(text, meta=meta))
        else:                      # the same stages without spaCy (nlp.stages)
            from nlp import stages

            out = stages.contract(stages.run(text, meta))
    return _drop_non_finite(out)


def _pipeline_built() -> bool:
    """Whether this process has built the spaCy pipeline (nlp.spacy_pipeline.build_pipeline):
    then extraction runs through it; else through nlp.stages, never importing spaCy."""
    module = sys.modules.get("nlp.spacy_pipeline")
    return module is not None and module.build_pipeline.cache_info().currsize > 0
