"""The xdd spaCy pipeline: an underthesea-backed Vietnamese tokenizer and rule components.

Modelled on ``spacy/lang/vi``: the tokenizer segments with underthesea's CRF (no token or
character normalisation, so every token is an exact slice of the input) and rebuilds the
``Doc`` with ``spacy.util.get_words_and_spaces``, so ``doc.text == text`` always. Domain terms
(``Ban Thường vụ``, ``Đảng ủy``, ``Bộ Chính trị``...) are kept whole via ``fixed_words``.

Components call the plain extractor functions and store their results on ``Doc._``:
``xdd_sentences`` → ``Doc._.xdd_sentences`` (+ ``is_sent_start``), ``xdd_entities`` →
``doc.ents``, ``Doc._.xdd_entities``, ``Doc._.xdd_province``; ``xdd_directives``,
``xdd_metrics``, ``xdd_practices`` → ``Doc._.xdd_directives`` / ``_metrics`` / ``_practices``.

The components are thin wrappers over the spaCy-free stages of ``nlp.stages`` (which
``nlp.extract`` runs directly unless this process built the pipeline): they add the Doc's
entity spans and sentence starts. This module imports spaCy at import time: import it only
when the pipeline is needed.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry

from nlp import stages
from nlp.stages import ExtractorError, _call, _safe, article_province  # noqa: F401  (this module's API)

log = logging.getLogger(__name__)

FIXED_WORDS = (
    "Ban Thường vụ", "Ban Chấp hành", "Bộ Chính trị", "Ban Bí thư", "Ủy ban Kiểm tra",
    "Uỷ ban Kiểm tra", "Ban Tổ chức", "Ban Tuyên giáo", "Ban Dân vận", "Đảng ủy", "Đảng uỷ",
    "đảng ủy", "Tỉnh ủy", "Tỉnh uỷ", "Thành ủy", "Thành uỷ", "Huyện ủy", "Huyện uỷ",
    "Quận ủy", "Quận uỷ", "Thị ủy", "Thị uỷ", "cấp ủy", "cấp uỷ", "chi bộ", "Chi bộ",
    "đảng viên", "Đảng viên", "Trung ương", "Thường trực", "Mặt trận Tổ quốc",
)
EXTENSIONS = ("xdd_text", "xdd_doc_id", "xdd_published", "xdd_dated", "xdd_meta", "xdd_province", "xdd_sentences", "xdd_entities",
              "xdd_directives", "xdd_metrics", "xdd_practices")
_NONSPACE = re.compile(r"\S+")


def register_extensions() -> None:
    """Register the ``Doc._.xdd_*`` attributes once (idempotent)."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


# ------------------------------------------------------------------ segmentation
@lru_cache(maxsize=1)
def _crf_tagger():
    """underthesea's bundled word-segmentation CRF (offline), loaded once."""
    from os.path import dirname, join

    import underthesea.pipeline.word_tokenize as wt
    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger

    tagger = FastCRFSequenceTagger()
    tagger.load(join(dirname(wt.__file__), "models", "ws_crf_vlsp2013_20230727"))
    return tagger


@lru_cache(maxsize=8)
def _syllable_pattern(fixed_words: tuple[str, ...]) -> re.Pattern:
    """underthesea's syllable regex (its own pattern list, fixed words first), used here
    directly so every syllable comes with its exact offsets and no normalisation."""
    from underthesea.pipeline.word_tokenize import regex_tokenize as rt

    parts = list(rt.regex_patterns)
    if fixed_words:
        alts = "\\b|\\b".join(re.escape(w).replace("\\ ", " ").replace(" ", "\\ ") for w in fixed_words)
        parts.insert(0, "(?P<fixed_words>\\b" + alts + "\\b)")
    return re.compile("(" + "|".join(parts) + ")", re.VERBOSE | re.UNICODE)


def _word_spans(text: str, syl: list[tuple[int, int]], tags: list[str]) -> list[tuple[int, int]]:
    """Group syllable spans into words by B-W/I-W tags; never join across other than one space."""
    words: list[list[int]] = []
    for span, tag in zip(syl, tags):
        prev = words[-1] if words else None
        if tag == "I-W" and prev and text[prev[1]:span[0]] in ("", " "):
            prev[1] = span[1]
        else:
            words.append([span[0], span[1]])
    return [(s, e) for s, e in words]


def _fill_gaps(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Add any non-whitespace text no word covers (alignment misses) as extra tokens."""
    out, pos = [], 0
    for s, e in [*spans, (len(text), len(text))]:
        if s > pos and not text[pos:s].isspace():
            out.extend(m.span() for m in _NONSPACE.finditer(text, pos, s))
        if e > s:
            out.append((s, e))
        pos = max(pos, e)
    return out


SEGMENTERS = ("syllables", "words")


def segment(text: str, fixed_words: tuple[str, ...] = FIXED_WORDS, words: bool = True) -> list[tuple[int, int]]:
    """Token spans over the whole text; every non-space character covered. ``words``: words by
    underthesea's CRF (one pass); else syllables by underthesea's own regex (numbers such as
    '1.234', dates, URLs and the fixed domain terms kept whole), with no CRF at all."""
    if not text.strip():
        return []
    syl = [m.span() for m in _syllable_pattern(tuple(fixed_words)).finditer(text)]
    if not words:
        return _fill_gaps(text, syl)
    tags = list(_crf_tagger().predict([[text[s:e]] for s, e in syl])) if syl else []
    return _fill_gaps(text, _word_spans(text, syl, tags))


class VietnameseTokenizer:
    """Callable ``text -> Doc`` with ``doc.text == text``.

    ``segmenter="syllables"`` (the pipeline's default): the extractors read the raw text, not
    the tokens, so the Doc's tokens only carry entity and sentence spans; syllables do that
    without the CRF's cost (most of the extraction time otherwise). ``"words"`` segments
    with underthesea's CRF, for uses that need words (``xdd show`` with word tokens)."""

    def __init__(self, vocab, fixed_words: tuple[str, ...] = FIXED_WORDS, segmenter: str = "syllables"):
        if segmenter not in SEGMENTERS:
            raise ValueError(f"segmenter must be one of {SEGMENTERS}, not {segmenter!r}")
        self.vocab = vocab
        self.fixed_words = tuple(fixed_words)
        self.segmenter = segmenter

    def __call__(self, text: str) -> Doc:
        text = text if isinstance(text, str) else ""
        words = [text[s:e] for s, e in segment(text, self.fixed_words, self.segmenter == "words")]
        try:
            words, spaces = get_words_and_spaces(words, text)
        except ValueError:  # cannot happen with exact slices; keep a safe fallback
            log.warning("tokenizer alignment failed; falling back to whitespace split")
            words, spaces = get_words_and_spaces(text.split(), text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc._.xdd_text = text
        return doc

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "VietnameseTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "VietnameseTokenizer":
        return self


@registry.tokenizers("xdd.vi_tokenizer.v1")
def create_tokenizer(fixed_words: list[str] | None = None, segmenter: str = "syllables"):
    """Registered tokenizer factory: ``[nlp.tokenizer] @tokenizers = "xdd.vi_tokenizer.v1"``
    (``segmenter = "words"`` for underthesea's CRF word segmentation)."""
    words = tuple(fixed_words) if fixed_words else FIXED_WORDS

    def make(nlp: Language) -> VietnameseTokenizer:
        return VietnameseTokenizer(nlp.vocab, words, segmenter)

    return make


# ------------------------------------------------------------------ helpers
# ExtractorError, _call and _safe live in nlp.stages (spaCy-free), shared by both paths


def _text(doc: Doc) -> str:
    """The Doc text without rebuilding it from tokens (the tokenizer keeps the input)."""
    t = doc._.xdd_text
    return t if isinstance(t, str) else doc.text


def _sentences_of(doc: Doc) -> list[tuple[int, int]]:
    return stages.sentences_of(doc._, _text(doc))


def _set_sent_starts(doc: Doc, sents: list[tuple[int, int]]) -> None:
    """Mark the first token of each sentence (one array write, not per-token setters)."""
    import numpy
    from spacy.attrs import SENT_START

    if not len(doc):
        return
    flags = numpy.full((len(doc), 1), -1, dtype="int64")
    flags[0, 0] = 1
    for s, e in sents:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and len(span):
            flags[span.start, 0] = 1
    doc.from_array([SENT_START], flags.astype("uint64"))


def _non_overlapping(doc: Doc, ents: list[dict]) -> list:
    """spaCy spans for entity dicts, longest first among overlaps, skipping the rest."""
    spans, taken = [], set()
    order = sorted(ents, key=lambda x: (-(x.get("end", 0) - x.get("start", 0)), x.get("start", 0)))
    for e in order:
        try:
            span = doc.char_span(int(e["start"]), int(e["end"]), label=str(e["label"]),
                                 alignment_mode="expand")
        except (KeyError, TypeError, ValueError):
            continue
        if span is None or not len(span) or taken.intersection(range(span.start, span.end)):
            continue
        taken.update(range(span.start, span.end))
        spans.append(span)
    return sorted(spans, key=lambda s: s.start)


# ------------------------------------------------------------------ components
@Language.factory("xdd_sentences", assigns=["token.is_sent_start", "doc._.xdd_sentences"])
def make_sentences(nlp: Language, name: str):
    def xdd_sentences(doc: Doc) -> Doc:
        stages.sentences(doc._, _text(doc))
        _set_sent_starts(doc, doc._.xdd_sentences)
        return doc

    return xdd_sentences


@Language.factory("xdd_entities",
                  assigns=["doc.ents", "doc._.xdd_entities", "doc._.xdd_province", "doc._.xdd_dated"])
def make_entities(nlp: Language, name: str):
    def xdd_entities(doc: Doc) -> Doc:
        stages.entities(doc._, _text(doc))
        doc.ents = _non_overlapping(doc, doc._.xdd_entities)
        return doc

    return xdd_entities


@Language.factory("xdd_directives", assigns=["doc._.xdd_directives"])
def make_directives(nlp: Language, name: str):
    def xdd_directives(doc: Doc) -> Doc:
        stages.directives(doc._, _text(doc))
        return doc

    return xdd_directives


@Language.factory("xdd_metrics",
                  requires=["doc._.xdd_sentences", "doc._.xdd_entities", "doc._.xdd_directives"],
                  assigns=["doc._.xdd_metrics"])
def make_metrics(nlp: Language, name: str):
    def xdd_metrics(doc: Doc) -> Doc:
        stages.metrics(doc._, _text(doc))
        return doc

    return xdd_metrics


@Language.factory("xdd_practices", requires=["doc._.xdd_sentences", "doc._.xdd_entities",
                                             "doc._.xdd_directives", "doc._.xdd_metrics"],
                  assigns=["doc._.xdd_practices"])
def make_practices(nlp: Language, name: str):
    def xdd_practices(doc: Doc) -> Doc:
        stages.practices(doc._, _text(doc))
        return doc

    return xdd_practices


PIPE_NAMES = ("xdd_sentences", "xdd_entities", "xdd_directives", "xdd_metrics", "xdd_practices")


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    """The xdd pipeline (built once per process)."""
    import spacy

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "xdd.vi_tokenizer.v1"}}})
    for name in PIPE_NAMES:
        nlp.add_pipe(name)
    return nlp


def make_doc(text: str, doc_id: str | None = None, published: str | None = None,
             meta=None) -> Doc:
    """Tokenised Doc with the document metadata set, ready for the components; ``meta`` (an
    ``nlp.article.ArticleMeta``) carries URL, outlet, title and lead, and wins over the
    plain ``doc_id`` / ``published`` arguments."""
    from nlp.article import ArticleMeta

    meta = meta if isinstance(meta, ArticleMeta) else ArticleMeta.of(doc_id, published=published)
    doc = build_pipeline().make_doc(text)
    doc._.xdd_doc_id = meta.doc_id
    doc._.xdd_published = meta.published
    doc._.xdd_meta = meta
    return doc


def process(text: str, doc_id: str | None = None, published: str | None = None, meta=None) -> Doc:
    """Run the whole pipeline on one text (already cleaned)."""
    return build_pipeline()(make_doc(text, doc_id, published, meta))


def to_contract(doc: Doc) -> dict:
    """The extraction-contract dict for a processed Doc (plus `sentences`: [start, end] spans,
    so that loading need not split the text again)."""
    return stages.contract(doc._)
