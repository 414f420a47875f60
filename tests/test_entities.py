"""ORG/LOC/PERSON extraction: spans, norms, provinces, robustness, dev-gold F1, speed."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.entities import find_entities
from nlp.text import clean

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def spans(text: str, label: str) -> list[str]:
    return [e["text"] for e in find_entities(text) if e["label"] == label]


def by_text(text: str) -> dict[str, dict]:
    return {e["text"]: e for e in find_entities(text)}


def test_longest_body_name_wins():
    text = "Hôm qua, Ban Thường vụ Tỉnh ủy Bắc Giang đã họp."
    assert spans(text, "ORG") == ["Ban Thường vụ Tỉnh ủy Bắc Giang"]
    assert spans(text, "LOC") == []          # the place inside the body is not a LOC


def test_bodies_with_level_and_name():
    text = ("Đảng ủy phường Tân Mỹ chỉ đạo Chi bộ cơ quan phường và chi bộ Trường Tiểu học "
            "Kim Đồng, còn Ủy ban Kiểm tra Huyện ủy Yên Thế giám sát UBND xã Đồng Lạc.")
    assert spans(text, "ORG") == ["Đảng ủy phường Tân Mỹ", "Chi bộ cơ quan phường",
                                  "chi bộ Trường Tiểu học Kim Đồng",
                                  "Ủy ban Kiểm tra Huyện ủy Yên Thế", "UBND xã Đồng Lạc"]


def test_central_bodies_and_mass_organisations():
    text = ("Bộ Chính trị, Ban Bí thư và Ban Tổ chức Trung ương giao Mặt trận Tổ quốc, "
            "Đoàn Thanh niên cùng Bộ Nội vụ phối hợp.")
    orgs = by_text(text)
    assert {"Bộ Chính trị", "Ban Bí thư", "Ban Tổ chức Trung ương", "Mặt trận Tổ quốc",
            "Đoàn Thanh niên", "Bộ Nội vụ"} <= set(orgs)
    assert orgs["Bộ Chính trị"]["province"] is None


def test_generic_words_are_not_bodies():
    text = ("Chi bộ là nơi rèn luyện đảng viên. Các đảng ủy viên và cấp ủy dự họp; "
            "các chi bộ tổ dân phố sinh hoạt đều, xây dựng Đảng bộ trong sạch.")
    assert spans(text, "ORG") == []


def test_bare_committee_names_count():
    text = "Đảng ủy yêu cầu các chi bộ báo cáo; Quận ủy và Thành ủy theo dõi."
    assert spans(text, "ORG") == ["Đảng ủy", "Quận ủy", "Thành ủy"]


def test_places_with_levels_and_bare_provinces():
    text = ("Đoàn đã đến huyện Lục Ngạn, thị xã Việt Yên (Bắc Giang), xã Tân Lập, thôn Đồng "
            "Quan và TP. Hồ Chí Minh; Quận Gò Vấp cũng tham gia.")
    locs = by_text(text)
    assert list(locs) == ["huyện Lục Ngạn", "thị xã Việt Yên", "Bắc Giang", "xã Tân Lập",
                          "thôn Đồng Quan", "TP. Hồ Chí Minh", "Quận Gò Vấp"]
    assert locs["huyện Lục Ngạn"]["level"] == "district"
    assert locs["xã Tân Lập"]["level"] == "ward"
    assert locs["thôn Đồng Quan"]["level"] == "village"
    assert locs["TP. Hồ Chí Minh"]["norm"] == "Thành phố Hồ Chí Minh"
    assert locs["Quận Gò Vấp"]["norm"] == "quận Gò Vấp"


def test_norm_standardises_tones_and_heads():
    text = "Đảng uỷ phường Bách khoa và Tỉnh Uỷ Bắc Giang làm việc."
    norms = [e["norm"] for e in find_entities(text)]
    assert norms == ["Đảng ủy phường Bách Khoa", "Tỉnh ủy Bắc Giang"]


def test_provinces_resolved_and_merged():
    text = "Huyện ủy Tân Yên phối hợp với Đảng bộ thành phố Hà Nội."
    ents = by_text(text)
    assert (ents["Huyện ủy Tân Yên"]["province"], ents["Huyện ủy Tân Yên"]["province_2025"]) \
        == ("Bắc Giang", "Bắc Ninh")
    assert ents["Đảng bộ thành phố Hà Nội"]["province"] == "Hà Nội"


def test_ambiguous_district_uses_nearby_province_or_stays_null():
    near = "Đảng bộ huyện Châu Thành, tỉnh Tiền Giang có nhiều cách làm hay."
    assert by_text(near)["Đảng bộ huyện Châu Thành"]["province"] == "Tiền Giang"
    alone = "Đảng bộ huyện Châu Thành có nhiều cách làm hay."
    assert by_text(alone)["Đảng bộ huyện Châu Thành"]["province"] is None


def test_bare_district_of_main_province():
    text = ("Huyện ủy Thường Tín (Hà Nội) đổi mới sinh hoạt chi bộ\n"
            "Nhờ đó, Thường Tín là địa phương đi đầu của huyện Thường Tín.")
    locs = [e for e in find_entities(text) if e["label"] == "LOC"]
    assert [e["text"] for e in locs] == ["Hà Nội", "Thường Tín", "huyện Thường Tín"]


def test_person_names():
    text = "Đồng chí Nguyễn Văn Hùng, Bí thư Huyện ủy, và bà Trần Thị Lan dự họp ở Hà Nam."
    assert spans(text, "PERSON") == ["Nguyễn Văn Hùng", "Trần Thị Lan"]
    assert spans(text, "LOC") == ["Hà Nam"]


def test_offsets_index_text_exactly():
    text = "  Ban Thường vụ Thành uỷ Hà Nội\nvà UBND TP.HCM, xã Đông Hưng."
    for e in find_entities(text):
        assert text[e["start"]:e["end"]] == e["text"]


@pytest.mark.parametrize("bad", ["", "   ", "!!!@@@", "The Party in New York", "\x00\x01",
                                 None, 42, "Ban Thường vụ (", "TP."])
def test_bad_input_never_raises(bad):
    out = find_entities(bad)  # type: ignore[arg-type]
    assert isinstance(out, list)
    if bad in ("", "   ", "!!!@@@", "The Party in New York", None, 42, "TP."):
        assert out == []


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ĐđảủyỦbộBanThườngvụxãphườngHàNội TP.-()1", max_size=80))
def test_random_text_offsets_are_consistent(text):
    ents = find_entities(text)
    assert ents == sorted(ents, key=lambda e: e["start"])
    for e in ents:
        assert text[e["start"]:e["end"]] == e["text"]


def _score_module():
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip("shared eval material not available")
    spec = importlib.util.spec_from_file_location("xdd_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_dev_gold_overlap_f1():
    score = _score_module()
    scorer = score.Scorer()
    for line in (SHARED / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        text = clean((SHARED / "corpus" / "seeds" / gold["source_file"]).read_text(encoding="utf-8"))
        scorer.score_doc(gold, {"entities": find_entities(text)})
    res = scorer.results()
    assert res["org_overlap_f1"] >= 0.85 and res["loc_overlap_f1"] >= 0.85
    assert res["org_exact_f1"] >= 0.8 and res["loc_exact_f1"] >= 0.8
