"""Party documents (nlp.directives) and the central catalog (nlp.catalog)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp import catalog
from nlp.directives import find_directives, norm_issuer, term_roman

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def keys(text: str, published: str | None = None) -> list[str | None]:
    return [d["key"] for d in find_directives(text, published)]


@pytest.mark.parametrize("text, key", [
    ("Các chi bộ học tập Chỉ thị 05-CT/TƯ về làm theo Bác.", "05-CT/TW"),
    ("Thực hiện Hướng dẫn số 12-HD/BTCTƯ về sinh hoạt chi bộ.", "12-HD/BTCTW"),
    ("Tỉnh ủy ban hành Quy định số 1374-QĐ/TU về tiếp nhận phản ánh.", "1374-QĐ/TU"),
    ("Quy định 08-QĐi/TW về nêu gương được quán triệt.", "08-QĐi/TW"),
    ("Theo Quy định 205/QĐ-TW, cán bộ phải kê khai.", "205-QĐ/TW"),
    ("Huyện triển khai Kế hoạch 7-KH/HU.", "07-KH/HU"),
    ("Đề án 03-ĐA/T.Ư được thông qua.", "03-ĐA/TW"),
    ("Đảng ủy Quân khu ban hành Quy định số 218/QĐ/ĐU về nêu gương.", "218-QĐ/ĐU"),
])
def test_codes(text, key):
    assert keys(text) == [key]


def test_contract_fields_and_span():
    text = "Đảng ủy xã quán triệt Chỉ thị 05-CT/TƯ của Bộ Chính trị."
    (d,) = find_directives(text)
    assert text[d["start"]:d["end"]] == d["text"] == "Chỉ thị 05-CT/TƯ"
    assert (d["kind"], d["number"], d["issuer"], d["term"], d["date"]) == ("CT", 5, "TW", "XII", None)
    assert d["title"] and d["issuing_body"] == "Bộ Chính trị"


def test_date_of_issue_after_and_before():
    after = find_directives("Theo Kế hoạch số 45-KH/TU ngày 3-4-2019 của Tỉnh ủy, ...")
    assert after[0]["date"] == "2019-04-03"
    before = find_directives("Ngày 9/11/2020, Ban Tổ chức Tỉnh ủy ban hành Hướng dẫn số 21-HD/BTCTU.")
    assert before[0]["date"] == "2020-11-09"


def test_numbered_mention_takes_issuer_from_body():
    text = "Chương trình số 04 của Thành ủy về chuyển đổi số; Nghị quyết số 15 của Huyện ủy."
    assert keys(text) == ["04-CTr/TU", "15-NQ/HU"]


def test_mentions_of_one_document_share_issuer_and_date():
    text = ("Đề án số 07-ĐA/TU ngày 2/3/2022 của Tỉnh ủy đã đi vào cuộc sống. "
            "Sau hai năm, Đề án số 07 tiếp tục được sơ kết.")
    docs = find_directives(text)
    assert [d["key"] for d in docs] == ["07-ĐA/TU", "07-ĐA/TU"]
    assert docs[1]["date"] == "2022-03-02"


@pytest.mark.parametrize("text, key, term", [
    ("Thực hiện Nghị quyết Trung ương 4 (khóa XII) về xây dựng Đảng.", "04-NQ/TW", "XII"),
    ("Kiểm điểm theo Nghị quyết TW4 khóa XII.", "04-NQ/TW", "XII"),
    ("Sơ kết Nghị quyết Trung ương 4 khoá XI.", "12-NQ/TW", "XI"),
    ("Bám sát Kết luận Hội nghị Trung ương 4 khóa XIII.", "21-KL/TW", "XIII"),
    ("Học tập Chỉ thị 05 của Bộ Chính trị (khóa XII).", "05-CT/TW", "XII"),
    ("Thực hiện Nghị quyết Trung ương 6 khóa XII về sắp xếp tổ chức bộ máy.", "18-NQ/TW", "XII"),
])
def test_named_central_documents(text, key, term):
    (d,) = find_directives(text)
    assert (d["key"], d["term"]) == (key, term)


def test_plenum_without_term_uses_earlier_mention_or_date():
    text = "Nghị quyết Trung ương 4 (khóa XII) được quán triệt. Theo tinh thần Nghị quyết Trung ương 4, ..."
    assert keys(text) == ["04-NQ/TW", "04-NQ/TW"]
    assert keys("Theo tinh thần Nghị quyết Trung ương 4, chi bộ tự phê bình.", "2018-05-02") == ["04-NQ/TW"]
    assert find_directives("Theo tinh thần Nghị quyết Trung ương 4, chi bộ tự phê bình.")[0]["key"] is None


def test_ambiguous_plenum_stays_unresolved():
    (d,) = find_directives("Quán triệt Nghị quyết Trung ương 6 khóa XII tới đảng viên.")
    assert d["kind"] == "NQ" and d["number"] is None and d["term"] == "XII"


@pytest.mark.parametrize("text, span, term", [
    ("Thực hiện Nghị quyết Đại hội XIII của Đảng, tỉnh ...", "Nghị quyết Đại hội XIII", "XIII"),
    ("Cụ thể hóa Nghị quyết Đại hội 13 của Đảng.", "Nghị quyết Đại hội 13", "XIII"),
    ("Nghị quyết Đại hội 20 Đảng bộ Tỉnh được ban hành.", "Nghị quyết Đại hội 20 Đảng bộ Tỉnh", "XX"),
    ("Thực hiện Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XIX, ...", "Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XIX", "XIX"),
])
def test_congress_resolutions(text, span, term):
    (d,) = find_directives(text)
    assert (d["text"], d["kind"], d["number"], d["key"], d["term"]) == (span, "NQ", None, None, term)


def test_years_and_plain_words_are_not_documents():
    assert find_directives("Kế hoạch năm 2024 được triển khai; Chương trình 2021-2025 đạt kết quả.") == []
    assert find_directives("Chi bộ ra nghị quyết lãnh đạo sản xuất.") == []


@pytest.mark.parametrize("bad", ["", "   ", "hello world", "12345 / 67 --", None, 3.5])
def test_bad_input(bad):
    assert find_directives(bad) == []


def test_helpers():
    assert norm_issuer("BTCTƯ") == "BTCTW" and norm_issuer("T.Ư") == "TW"
    assert term_roman("13") == "XIII" and term_roman("XII") == "XII" and term_roman("abc") is None


def test_catalog_rows_have_sources_and_resolve():
    rows = catalog.catalog()
    assert len(rows) >= 40 and all(r["source_url"] for r in rows)
    assert sum(r["term"] in ("XI", "XII", "XIII", "XIV") for r in rows) >= 40
    assert catalog.resolve("NQ", 18, "TW", year=2023)["key"] == "18-NQ/TW@2022"
    assert catalog.resolve("NQ", None, None, term="XIII")["issuing_body"] == "Đại hội"
    assert catalog.resolve("CT", 999, "TW") is None


def test_dev_gold_directive_keys():
    gold_path = SHARED / "eval" / "dev.jsonl"
    if not gold_path.exists():
        pytest.skip("shared dev gold not available")
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        text = (SHARED / "corpus" / "seeds" / gold["source_file"]).read_text(encoding="utf-8")
        from nlp.text import clean
        got = {(d["kind"], d["number"], d["issuer"]) for d in find_directives(clean(text)) if d["number"] is not None}
        want = {(d["kind"], d["number"], d["issuer"]) for d in gold["directives"]
                if d["number"] is not None and not d.get("optional")}
        assert got == want


def test_long_kind_names_and_bare_programmes():
    text = "Thông báo kết luận số 123-TB/TU; Chương trình hành động số 15-CTr/TU; Chương trình 135 của xã."
    assert [d["text"] for d in find_directives(text)] == [
        "Thông báo kết luận số 123-TB/TU", "Chương trình hành động số 15-CTr/TU"]
    (d,) = find_directives("Thực hiện Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XII về ...")
    assert d["key"] == "04-NQ/TW" and d["text"].endswith("khóa XII")


def test_reused_codes_pick_by_year():
    early = find_directives("Triển khai Chỉ thị 35-CT/TW của Bộ Chính trị.", "2019-08-01")[0]
    late = find_directives("Triển khai Chỉ thị 35-CT/TW của Bộ Chính trị.", "2024-08-01")[0]
    assert early["key"] == late["key"] == "35-CT/TW"
    assert (early["term"], late["term"]) == ("XII", "XIII")
