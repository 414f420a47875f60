"""The spaCy pipeline: exact tokenizer alignment, components, Doc extensions."""
from __future__ import annotations

import pytest

pytest.importorskip("spacy")
pytest.importorskip("underthesea")

from spacy.util import registry  # noqa: E402

from nlp import spacy_pipeline as sp  # noqa: E402

NAUGHTY = [
    "", " ", "\n", "\n\n\t ", "a", "  leading and trailing  ",
    "Uỷ viên Ban Thường vụ Tỉnh uỷ dự họp.",          # old-style tone marks must survive
    "Chỉ thị 05-CT/TƯ, Hướng dẫn 12-HD/BTCTƯ và 1374-QĐ/TU.",
    "Tỷ lệ 0,7% — 481.406 đảng viên… “trích dẫn” (ngoặc) [x] {y}",
    "TP.HCM\r\nQ.1\u00a0P.Bến Nghé\u2028dòng\u200bẩn",
    "Ð (U+00D0) và Đ; emoji 🎉 và ký tự 中文 lẫn العربية",
    "Hòa hoà HOÀ hoà\u0300 e\u0301",                       # NFD leftovers as given
    "\"\" '' ... !!! ??? --- ___",
    "1.000.000 2,5 3/4 12-2018 ngày 6-7-2018",
]


@pytest.mark.parametrize("text", NAUGHTY)
def test_tokenizer_keeps_text_exactly(text):
    doc = sp.build_pipeline().make_doc(text)
    assert doc.text == text
    assert all(tok.text == text[tok.idx:tok.idx + len(tok.text)] for tok in doc)


def test_domain_terms_stay_whole():
    doc = sp.build_pipeline().make_doc("Đảng ủy và Bộ Chính trị, Ban Thường vụ họp.")
    words = [t.text for t in doc]
    assert "Đảng ủy" in words and "Bộ Chính trị" in words
    assert any(w.startswith("Ban Thường vụ") for w in words)


def test_segment_covers_every_character():
    text = "Đảng bộ phường có 969 đảng viên.\n\nChi bộ  họp…"
    spans = sp.segment(text)
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    assert spans == sorted(spans)


def test_tokenizer_is_registered():
    make = registry.tokenizers.get("xdd.vi_tokenizer.v1")()
    tok = make(sp.build_pipeline())
    assert tok("Chi bộ thôn họp.").text == "Chi bộ thôn họp."


def test_pipeline_components_and_extensions():
    nlp = sp.build_pipeline()
    assert tuple(nlp.pipe_names) == sp.PIPE_NAMES
    assert sp.build_pipeline() is nlp
    text = ("Đảng ủy phường Tân Lập yêu cầu các chi bộ gửi lịch sinh hoạt về văn phòng trước ngày 20 hằng tháng. "
            "Thực hiện Chỉ thị 05-CT/TW, Đảng bộ có 1.234 đảng viên.")
    doc = sp.process(text, doc_id="t1", published="2024-05-01")
    assert doc._.xdd_doc_id == "t1" and doc._.xdd_published == "2024-05-01"
    assert [s.text for s in doc.sents] == [text[a:b] for a, b in doc._.xdd_sentences]
    for name in ("xdd_entities", "xdd_directives", "xdd_metrics", "xdd_practices"):
        assert isinstance(getattr(doc._, name), list)
    for ent in doc.ents:
        assert ent.label_ in {"ORG", "LOC", "PERSON"}
    starts = [e.start for e in doc.ents]
    assert starts == sorted(starts)
    out = sp.to_contract(doc)
    assert set(out) == {"doc_id", "province", "entities", "directives", "metrics", "practices", "sentences"}
    assert out["sentences"] == [[a, b] for a, b in doc._.xdd_sentences]


def test_overlapping_entities_are_skipped():
    doc = sp.build_pipeline().make_doc("Ban Thường vụ Tỉnh ủy Bắc Giang họp.")
    ents = [{"label": "ORG", "start": 0, "end": 31}, {"label": "ORG", "start": 14, "end": 31},
            {"label": "LOC", "start": 22, "end": 31}, {"label": "ORG", "start": 99, "end": 120}]
    spans = sp._non_overlapping(doc, ents)
    assert [(s.start_char, s.end_char) for s in spans] == [(0, 31)]


def test_failing_extractor_raises_never_empty():
    with pytest.raises(sp.ExtractorError) as err:
        sp._safe("nlp.no_such_module:fn", "x")
    assert err.value.cause_type == "ModuleNotFoundError"
    assert sp._safe("nlp.sentences:split_sentences", "Một câu.") == [(0, 8)]


def test_segmenters_syllables_by_default_words_on_request():
    text = "Đảng bộ phường có 1.234 đảng viên sinh hoạt tại 12 chi bộ."
    syllables = [text[s:e] for s, e in sp.segment(text, words=False)]
    words = [text[s:e] for s, e in sp.segment(text, words=True)]
    assert "1.234" in syllables and "sinh" in syllables and "hoạt" in syllables
    assert "sinh hoạt" in words                   # underthesea's CRF joins the word
    assert [t.text for t in sp.build_pipeline().make_doc(text)] == syllables
    crf = sp.VietnameseTokenizer(sp.build_pipeline().vocab, segmenter="words")(text)
    assert crf.text == text and len(crf) < len(syllables)
    with pytest.raises(ValueError):
        sp.VietnameseTokenizer(sp.build_pipeline().vocab, segmenter="bpe")
