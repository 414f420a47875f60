"""Gazetteer: province lookups, the 2025 merger, aliases, ambiguity, main province."""
from __future__ import annotations

import csv

import pytest

from nlp.entities import find_entities, main_province, province_of
from nlp.gazetteer import merged_province, province_names, tokenize
from nlp.resources import reference_path


@pytest.mark.parametrize("name, expected", [
    ("huyện Tân Yên", ("Bắc Giang", "Bắc Ninh")),
    ("Quận ủy Hai Bà Trưng", ("Hà Nội", "Hà Nội")),
    ("TP.HCM", ("Hồ Chí Minh", "Hồ Chí Minh")),
    ("Đảng ủy phường Bách khoa", ("Hà Nội", "Hà Nội")),
    ("tỉnh Nam Định", ("Nam Định", "Ninh Bình")),
    ("Thừa Thiên - Huế", ("Thừa Thiên Huế", "Huế")),
    ("Ban Thường vụ Tỉnh uỷ Quảng Nam", ("Quảng Nam", "Đà Nẵng")),
    ("thành phố Thủ Dầu Một", ("Bình Dương", "Hồ Chí Minh")),
])
def test_province_of_known_names(name, expected):
    assert province_of(name) == expected


@pytest.mark.parametrize("name", ["huyện Châu Thành", "phường 1", "", "xyz", "Bộ Chính trị"])
def test_province_of_ambiguous_or_unknown_is_null(name):
    assert province_of(name)[0] is None


def test_province_of_non_string_is_null():
    assert province_of(None) == (None, None)  # type: ignore[arg-type]


@pytest.mark.parametrize("old, new", [
    ("Bắc Giang", "Bắc Ninh"), ("Hà Giang", "Tuyên Quang"), ("Bình Dương", "Hồ Chí Minh"),
    ("Quảng Nam", "Đà Nẵng"), ("Hà Nội", "Hà Nội"), ("Tỉnh Hải Dương", "Hải Phòng"),
])
def test_merged_province(old, new):
    assert merged_province(old) == new


def test_merged_province_unknown():
    assert merged_province("Atlantis") is None


def test_province_names_cover_63_with_34_after_merger():
    rows = province_names()
    assert len({r["province"] for r in rows}) == 63
    assert len({r["province_2025"] for r in rows}) == 34
    hcm = next(r for r in rows if r["province"] == "Hồ Chí Minh")
    assert "TP.HCM" in hcm["aliases"]


def test_places_csv_has_all_levels():
    with reference_path("places.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    levels = {r["level"] for r in rows}
    assert {"province", "district", "ward"} <= levels
    assert sum(r["level"] == "district" for r in rows) > 600


def test_tokenize_keys_normalise_tone_placement_and_keep_offsets():
    text = "Tỉnh uỷ  Hoà Bình"
    t = tokenize(text)
    assert t.keys == ["tỉnh", "ủy", "hòa", "bình"]
    assert [text[s:e] for s, e in zip(t.starts, t.ends)] == ["Tỉnh", "uỷ", "Hoà", "Bình"]


def test_main_province_prefers_title_and_counts():
    text = ("Huyện ủy Lục Ngạn đổi mới sinh hoạt chi bộ\n"
            "Thời gian qua, Đảng bộ huyện Lục Ngạn phối hợp với huyện Sơn Động. "
            "Đoàn công tác của Thành ủy Hà Nội đến thăm.")
    assert main_province(text, find_entities(text)) == "Bắc Giang"


def test_main_province_post_merger_article_uses_new_name():
    text = ("Đảng bộ xã Kế Sách chuẩn bị đại hội\n"
            "Là một đảng bộ xã mới của thành phố Cần Thơ, Đảng bộ xã Kế Sách có 40 chi bộ.")
    assert main_province(text, find_entities(text)) == "Cần Thơ"


def test_main_province_empty():
    assert main_province("", []) is None
    assert main_province("Không có địa danh nào.", find_entities("Không có địa danh nào.")) is None
