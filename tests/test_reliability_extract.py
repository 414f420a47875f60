"""Issue 15, extraction side: a hostile corpus through `xdd extract` (a subprocess), extractor
errors counted as rejects (never stored as empty), limits, strict JSON, one-line usage errors."""
from __future__ import annotations

import json
import math
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from spacy.language import Language

from nlp import settings
from nlp import spacy_pipeline as sp
from nlp.batch import extract_file, rejects_path
from nlp.numbers import parse_digits, parse_number
from nlp.text import clean

XDD = [sys.executable, "-m", "pipelines"]
LISTS = ("entities", "directives", "metrics", "practices")

SENTENCES = [
    "Đảng bộ tỉnh Bắc Ninh có 70.592 đảng viên, sinh hoạt ở 1.234 chi bộ.",
    "Thực hiện Chỉ thị 05-CT/TW, Huyện ủy Yên Thế tổ chức cho mỗi đảng viên đăng ký một việc làm.",
    "Năm 2023, toàn tỉnh kết nạp 2.150 đảng viên mới, đạt 104% kế hoạch.",
    "Ban Thường vụ Thành ủy Cần Thơ họp phiên thường kỳ tháng 5.",
    "Chi bộ ấp 3 duy trì sinh hoạt chuyên đề mỗi quý một lần.",
    "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ đạt 0,7%.",
]


def _good_text(rng: random.Random, i: int) -> str:
    text = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
    kind = i % 5
    if kind == 1:
        return unicodedata.normalize("NFD", text)           # decomposed marks
    if kind == 2:
        return text.replace("Đ", "\u00d0")                   # ETH instead of Đ
    if kind == 3:
        return text + "\n\tĐoạn hai:\r\n" + SENTENCES[i % len(SENTENCES)]
    return text


def _line(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n"


def build_corpus(path: Path, n_lines: int = 5200, seed: int = 15) -> tuple[dict, dict]:
    """Write the hostile corpus; returns ({line: (doc_id, text)} of good lines,
    {line: reason} of bad ones)."""
    rng = random.Random(seed)
    good: dict[int, tuple[str, str]] = {}
    bad: dict[int, str] = {}
    big = "Đảng bộ có 12 chi bộ. " * (1_000_000 // 24)          # ~1 MB: over MAX_CHARS
    bad_makers = [
        (lambda i: b"\xff\xfe{\"doc_id\": \"x\"}\n", "bad_encoding"),
        (lambda i: b'{"doc_id": "b%d", "text": "\xc3\x28 l\xe1\xbb"}\n' % i, "bad_encoding"),
        (lambda i: b'{"doc_id": "b%d", "text": "c\xf3 12 \xed\xa0\x80"}\n' % i, "bad_encoding"),  # encoded surrogate
        (lambda i: b'{"doc_id": "b%d", "text": "cut' % i + b"\n", "bad_json"),
        (lambda i: b"[" * 50_000 + b"\n", "bad_json"),                                        # RecursionError
        (lambda i: b'{"doc_id": "b%d", "text": {"a": ' % i + b"[" * 5000 + b"]" * 5000 + b"}}\n", "bad_json"),
        (lambda i: b'{"doc_id": "b%d", "text": "raw \x01 control"}\n' % i, "bad_json"),
        (lambda i: b'{"doc_id": ' + b"7" * 100_000 + b', "text": "x"}\n', "bad_json"),       # 100k-digit JSON int
        (lambda i: b'{"doc_id": "\\ud800", "text": "Chi b\xe1\xbb\x99 c\xc3\xb3 12 \xc4\x91\xe1\xba\xa3ng vi\xc3\xaan."}\n',
         "bad_unicode"),
        (lambda i: b'{"doc_id": "b%d", "text": "lone \\udc00 low"}\n' % i, "bad_unicode"),
        (lambda i: b'{"doc_id": "b%d", "text": "nul \\u0000 in text"}\n' % i, "control_chars"),
        (lambda i: b'{"doc_id": "b\\u0007%d", "text": "bell in id"}\n' % i, "control_chars"),
        (lambda i: b"1\n", "not_an_object"),
        (lambda i: b'["a", "list"]\n', "not_an_object"),
        (lambda i: b"null\n", "not_an_object"),
        (lambda i: b'"a string"\n', "not_an_object"),
        (lambda i: b'{"doc_id": "b%d"}\n' % i, "no_text"),
        (lambda i: b'{"doc_id": "b%d", "text": 42}\n' % i, "bad_text"),
        (lambda i: b'{"text": "no id"}\n', "no_doc_id"),
        (lambda i: b'{"doc_id": 1.5, "text": "float id"}\n', "bad_doc_id"),
        (lambda i: b'{"doc_id": "b%d", "text": "x", "published": 2024}\n' % i, "bad_field"),
        (lambda i: b'{"doc_id": "b%d", "text": " \\n\\t "}\n' % i, "empty_text"),
    ]
    ids: list[str] = []
    with path.open("wb") as fh:
        n = 0

        def put(raw: bytes) -> int:
            nonlocal n
            fh.write(raw)
            n += 1
            return n

        while n < n_lines:
            i = n
            r = rng.random()
            if i in (1500, 3000):                              # two 1 MB documents
                bad[put(_line({"doc_id": f"big{i}", "text": big}))] = "too_large"
            elif i == 4000:                                    # a line over MAX_LINE_BYTES
                bad[put(b'{"doc_id": "huge", "text": "' + b"a " * (settings.MAX_LINE_BYTES // 2 + 10) + b'"}\n')] = "too_large"
            elif i == 100:                                     # a 100k-digit number: a word over MAX_WORD_CHARS
                bad[put(_line({"doc_id": "digits", "text": "Năm 2023 có " + "9" * 100_000 + " đảng viên."}))] = "too_large"
            elif i in (200, 2600):                             # 400 digits: no figure, never Infinity
                doc_id, text = f"digits{i}", "Năm 2023 có " + "9" * 400 + " đảng viên. Chi bộ có 12 đảng viên."
                good[put(_line({"doc_id": doc_id, "text": text}))] = (doc_id, text)
                ids.append(doc_id)
            elif r < 0.02:
                put(b"\n" if r < 0.01 else b"   \t \n")       # blank lines: neither output nor reject
            elif r < 0.06 and ids:                             # an id seen before
                bad[put(_line({"doc_id": rng.choice(ids), "text": "Một câu khác."}))] = "duplicate_doc_id"
            elif r < 0.65:
                make, reason = bad_makers[i % len(bad_makers)]
                bad[put(make(i))] = reason
            else:
                doc_id = f"d{i}" if i % 7 else f"Đ-{i}"
                text = _good_text(rng, i)
                rec = {"doc_id": doc_id, "text": text}
                if i % 11 == 0:
                    rec.update(published="2024-05-0%d" % (i % 9 + 1), title="Tin " + doc_id, url=None)
                good[put(_line(rec))] = (doc_id, text)
                ids.append(doc_id)
    return good, bad


def _strict(line: str):
    def no_constants(name):
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(line, parse_constant=no_constants)


def test_hostile_corpus_through_xdd_extract(tmp_path):
    src, out = tmp_path / "hostile.jsonl", tmp_path / "out" / "ext.jsonl"
    good, bad = build_corpus(src)
    assert len(good) + len(bad) >= 5000
    proc = subprocess.run([*XDD, "extract", "--input", str(src), "--output", str(out), "--workers", "2"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]

    lines = out.read_text(encoding="utf-8").splitlines()
    docs = [_strict(x) for x in lines]
    assert [d["doc_id"] for d in docs] == [doc_id for _, (doc_id, _) in sorted(good.items())]
    texts = {doc_id: clean(text) for doc_id, text in good.values()}
    n_items = 0
    for d in docs:
        text = texts[d["doc_id"]]
        assert unicodedata.is_normalized("NFC", text) and "\u00d0" not in text
        for key in LISTS:
            for item in d[key]:
                assert 0 <= item["start"] <= item["end"] <= len(text)
                assert text[item["start"]:item["end"]] == item["text"], (d["doc_id"], key, item)
                n_items += 1
        for m in d["metrics"]:
            assert isinstance(m["value"], (int, float)) and math.isfinite(m["value"])
        for s, e in d["sentences"]:
            assert 0 <= s <= e <= len(text)
    assert n_items > len(docs)

    rejects = [json.loads(x) for x in rejects_path(out).read_text(encoding="utf-8").splitlines()]
    assert {r["line"]: r["reason"] for r in rejects} == bad
    assert all(r["doc_id"] for r in rejects if r["reason"] == "duplicate_doc_id")
    assert sorted(r["doc_id"] or "-" for r in rejects if r["reason"] == "too_large") == ["-", "big1500", "big3000", "digits"]
    summary = [x for x in proc.stderr.splitlines() if x.startswith("extracted ")]
    assert summary and f"extracted {len(good)} docs" in summary[0]
    counts = {}
    for reason in bad.values():
        counts[reason] = counts.get(reason, 0) + 1
    for reason, n in counts.items():
        assert f"{reason}={n}" in summary[0]
    assert not list(out.parent.glob("*.part"))


@Language.factory("xdd_test_failing")
def _make_failing(nlp: Language, name: str):
    """A real registered component that calls a real extractor wrongly on marked documents."""
    def xdd_test_failing(doc):
        if "HỎNG" in doc.text:
            sp._call("nlp.numbers:parse_digits", None)      # AttributeError inside the extractor
        return doc

    return xdd_test_failing


@pytest.fixture
def failing_pipeline():
    nlp = sp.build_pipeline()
    nlp.add_pipe("xdd_test_failing", after="xdd_metrics")
    try:
        yield nlp
    finally:
        nlp.remove_pipe("xdd_test_failing")


def test_extractor_error_is_counted_never_stored(tmp_path, failing_pipeline):
    from nlp import extract

    with pytest.raises(sp.ExtractorError) as err:
        extract("Chi bộ HỎNG có 12 đảng viên.", doc_id="x")
    assert err.value.cause_type == "AttributeError"
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_bytes(_line({"doc_id": "ok1", "text": SENTENCES[0]}) + b"\n"
                    + _line({"doc_id": "bad", "text": "Đảng bộ HỎNG có 12 đảng viên."})
                    + _line({"doc_id": "ok2", "text": SENTENCES[2]}))
    stats = extract_file(src, out, workers=1, progress=False)
    assert stats["docs"] == 2 and stats["skipped"] == {"extract_error:AttributeError": 1}
    assert [json.loads(x)["doc_id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["ok1", "ok2"]
    (rej,) = [json.loads(x) for x in rejects_path(out).read_text(encoding="utf-8").splitlines()]
    assert (rej["line"], rej["doc_id"], rej["reason"]) == (3, "bad", "extract_error:AttributeError")
    assert "parse_digits" in rej["detail"]


def test_limits_and_non_finite_numbers():
    from nlp import extract

    assert parse_digits("9" * 400) is None and parse_number("9" * 400 + " tỷ") is None
    assert parse_digits("481.406") == 481406
    with pytest.raises(settings.DocumentTooLarge):
        extract("1.234 đảng viên, " * 3000)                           # figures in one long sentence
    with pytest.raises(settings.DocumentTooLarge):
        extract("(" * (settings.MAX_TOKENS + 1))
    out = extract("Tỉnh có " + "9" * 400 + " đảng viên và 12 chi bộ.", doc_id="x")
    assert all(math.isfinite(m["value"]) for m in out["metrics"])
    nfd = unicodedata.normalize("NFD", "Đảng bộ tỉnh Bắc Ninh có 70.592 đảng viên.")
    text = clean(nfd)
    for m in extract(nfd, doc_id="n")["metrics"]:
        assert text[m["start"]:m["end"]] == m["text"]


def test_extract_paths_and_usage_errors(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(_line({"doc_id": "a", "text": SENTENCES[0]}))
    before = src.read_bytes()
    for args in (["extract", "--input", str(src), "--output", str(src)],
                 ["extract", "--input", str(src), "--output", str(src / "x.jsonl")],
                 ["extract", "--input", str(tmp_path / "missing.jsonl"), "--output", str(tmp_path / "o.jsonl")],
                 ["extract", "--inpt", str(src)], ["extract"], ["search"], ["nosuch"],
                 ["compare", "x", "--measure", "nope"], ["--bogus"]):
        proc = subprocess.run([*XDD, *args], capture_output=True, text=True, timeout=120)
        assert proc.returncode != 0, args
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, proc.stderr)
    assert src.read_bytes() == before
