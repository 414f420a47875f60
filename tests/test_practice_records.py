"""Practice records: actor, place, documents, outcome and time of each practice (hand-written gold)."""
from __future__ import annotations

import pytest

from nlp.practice_records import describe_practices, find_time, place_of_name


def _span(text: str, part: str, label: str | None = None, **extra) -> dict:
    start = text.index(part)
    item = {"text": part, "start": start, "end": start + len(part), **extra}
    if label:
        item.update(label=label, norm=extra.get("norm", part))
    return item


TEXT = ("Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị, năm 2023 Đảng ủy xã Phong Minh "
        "phân công mỗi đảng viên phụ trách từ 5 đến 7 hộ, hằng quý báo cáo ở chi bộ. "
        "Nhờ đó, 42 hộ đã thoát nghèo.\n"
        "Ban Thường vụ Huyện ủy Lục Ngạn giao mỗi ủy viên phụ trách kiểm tra hai đảng ủy xã. "
        "Các ủy viên trực tiếp dự sinh hoạt và báo cáo hằng tháng.\n"
        "Ở Chi bộ thôn Đồng Vành, mỗi đảng viên đăng ký một việc làm theo Bác trong năm.\n"
        "Các tổ công tác của tỉnh xuống những xã còn khó khăn, ăn cùng, ở cùng với dân.")

ENTITIES = [
    _span(TEXT, "Bộ Chính trị", "ORG", province=None, province_2025=None),
    _span(TEXT, "Đảng ủy xã Phong Minh", "ORG", province="Bắc Giang", province_2025="Bắc Ninh"),
    _span(TEXT, "Ban Thường vụ Huyện ủy Lục Ngạn", "ORG", province="Bắc Giang", province_2025="Bắc Ninh"),
    _span(TEXT, "Chi bộ thôn Đồng Vành", "ORG", province=None, province_2025=None),
]
DIRECTIVES = [_span(TEXT, "Chỉ thị số 05-CT/TW", key="05-CT/TW", kind="CT", number=5, issuer="TW")]
METRICS = [_span(TEXT, "7 hộ", value=7, unit="count", indicator="hộ"),
           _span(TEXT, "42 hộ", value=42, unit="count", indicator="hộ thoát nghèo")]


def _practice(part: str, category: str = "other") -> dict:
    return dict(_span(TEXT, part), category=category, score=0.9)


PRACTICES = [
    _practice("Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị, năm 2023 Đảng ủy xã Phong Minh "
              "phân công mỗi đảng viên phụ trách từ 5 đến 7 hộ, hằng quý báo cáo ở chi bộ.", "hoc_tap_lam_theo_Bac"),
    _practice("Các ủy viên trực tiếp dự sinh hoạt và báo cáo hằng tháng.", "kiem_tra_giam_sat"),
    _practice("Ở Chi bộ thôn Đồng Vành, mỗi đảng viên đăng ký một việc làm theo Bác trong năm.",
              "hoc_tap_lam_theo_Bac"),
    _practice("Các tổ công tác của tỉnh xuống những xã còn khó khăn, ăn cùng, ở cùng với dân.",
              "cung_co_to_chuc_co_so"),
]


@pytest.fixture(scope="module")
def records():
    return describe_practices(TEXT, PRACTICES, ENTITIES, DIRECTIVES, METRICS, "2024-03-01", "Bắc Giang")


def test_keeps_contract_fields(records):
    assert len(records) == len(PRACTICES)
    for rec, p in zip(records, PRACTICES):
        assert {k: rec[k] for k in ("text", "start", "end", "category")} == \
            {k: p[k] for k in ("text", "start", "end", "category")}
        assert TEXT[rec["start"]:rec["end"]] == rec["text"]


def test_actor_in_passage_not_the_central_issuer(records):
    actor = records[0]["actor"]
    assert actor["text"] == "Đảng ủy xã Phong Minh" and actor["norm"] == "Đảng ủy xã Phong Minh"
    assert TEXT[actor["start"]:actor["end"]] == actor["text"]


def test_actor_nearest_before_in_paragraph(records):
    assert records[1]["actor"]["text"] == "Ban Thường vụ Huyện ủy Lục Ngạn"
    assert records[3]["actor"] is None  # no body named in its paragraph


def test_place_finest_level(records):
    assert records[0]["place"] == {"name": "xã Phong Minh", "level": "commune",
                                   "province": "Bắc Giang", "province_2025": "Bắc Ninh"}
    assert records[1]["place"] == {"name": "huyện Lục Ngạn", "level": "district",
                                   "province": "Bắc Giang", "province_2025": "Bắc Ninh"}


def test_place_falls_back_to_article_province(records):
    place = records[3]["place"]
    assert place["level"] == "province" and place["province"] == "Bắc Giang"
    assert place["province_2025"] == "Bắc Ninh"


def test_documents_of_passage_and_paragraph(records):
    assert records[0]["documents"] == ["05-CT/TW"]
    assert records[1]["documents"] == [] and records[2]["documents"] == []


def test_outcome_inside_and_stated_right_after(records):
    assert [m["value"] for m in records[0]["outcome"]] == [7, 42]
    assert records[0]["outcome"][1]["indicator"] == "hộ thoát nghèo"
    assert records[1]["outcome"] == []


def test_time_stated_else_published(records):
    assert records[0]["time"] == "2023"  # not the directive's 2016
    assert records[1]["time"] == "2024"


@pytest.mark.parametrize("name, expected", [
    ("Đảng ủy xã Phong Minh", ("xã Phong Minh", "commune")),
    ("Đảng bộ phường Tam Quan Bắc", ("phường Tam Quan Bắc", "commune")),
    ("Ban Thường vụ Huyện ủy Lục Ngạn", ("huyện Lục Ngạn", "district")),
    ("Quận ủy Hai Bà Trưng", ("quận Hai Bà Trưng", "district")),
    ("Tỉnh ủy Bắc Giang", ("Bắc Giang", "province")),
    ("Ban Thường vụ Tỉnh ủy", None),
    ("Đảng bộ Khối các cơ quan tỉnh", None),
])
def test_place_of_name(name, expected):
    assert place_of_name(name) == expected


def test_time_period_and_none():
    text = "Nhiệm kỳ 2020-2025, Đảng ủy xã giao mỗi chi bộ một chỉ tiêu kết nạp."
    p = {"text": text, "start": 0, "end": len(text)}
    assert find_time(p, [], text, None) == "2020-2025"
    text2 = "Đảng ủy xã giao mỗi chi bộ một chỉ tiêu kết nạp."
    assert find_time({"start": 0, "end": len(text2)}, [], text2, None) is None


def test_bad_input():
    assert describe_practices("", [], [], [], [], None, None) == []
    out = describe_practices("abc", [{"text": "x", "start": 5, "end": 9, "category": "other"}, None],
                             [], [], [], None, None)
    assert out == [{"text": "x", "start": 5, "end": 9, "category": "other", "actor": None, "place": None,
                    "documents": [], "outcome": [], "time": None}]


def test_with_the_pipeline():
    import nlp
    text = ("Năm 2024, Đảng ủy xã Phong Minh phân công mỗi đảng ủy viên phụ trách một chi bộ thôn, "
            "dự sinh hoạt hằng tháng và báo cáo lại bằng văn bản sau mỗi buổi.")
    r = nlp.extract(text, doc_id="t", published="2024-05-02")
    recs = describe_practices(text, r["practices"], r["entities"], r["directives"], r["metrics"],
                              "2024-05-02", r.get("province"))
    assert recs and recs[0]["actor"]["text"] == "Đảng ủy xã Phong Minh"
    assert recs[0]["place"]["level"] == "commune" and recs[0]["time"] == "2024"


def _one(text: str, published: str | None = "2025-10-01") -> dict:
    import nlp
    out = nlp.extract(text, doc_id="t", published=published)
    assert out["practices"], text
    return out["practices"][0]


def test_after_the_merger_the_place_is_in_the_province_as_then_named():
    text = ("Ban Thường vụ Huyện ủy Lục Ngạn giao mỗi huyện ủy viên phụ trách một xã, hằng tháng dự "
            "sinh hoạt chi bộ thôn và ghi ý kiến của dân vào sổ theo dõi.")
    before, after = _one(text, "2024-05-02")["place"], _one(text, "2025-10-01")["place"]
    assert (before["province"], before["province_2025"]) == ("Bắc Giang", "Bắc Ninh")
    assert (after["province"], after["province_2025"], after["province_before_2025"]) == ("Bắc Ninh", "Bắc Ninh", "Bắc Giang")


def test_actor_is_who_acts_not_the_issuer_nor_where_others_act():
    text = ("Thực hiện Kế hoạch số 38-KH/TU của Tỉnh ủy về đổi mới công tác cán bộ, Ban Thường vụ Tỉnh ủy "
            "Quảng Ninh chọn hai huyện để thí điểm thi tuyển trưởng phòng, công khai đề án và chấm điểm trước hội đồng.")
    assert _one(text, "2017-03-01")["actor"]["text"] == "Ban Thường vụ Tỉnh ủy Quảng Ninh"


def test_a_provincial_papers_commune_is_in_its_province_after_the_merger():
    # 'xã Phong Điền' of the old gazetteer is in Cà Mau; a Cần Thơ paper after 2025 means its own
    import nlp
    text = ("Xã Phong Điền tháo gỡ vướng mắc trong phát triển đảng viên\n"
            "Trước tình hình đó, Thường trực Đảng ủy xã đã triệu tập cuộc họp với bí thư các chi bộ ấp để rà "
            "soát từng hồ sơ, đồng thời cử cán bộ trực tiếp đi thẩm tra lý lịch ở những nơi có vướng mắc.")
    out = nlp.extract(text, doc_id="t", url="https://baocantho.com.vn/a.html", published="2025-12-10")
    assert out["province"] == "Cần Thơ" and out["practices"][0]["place"]["province"] == "Cần Thơ"
