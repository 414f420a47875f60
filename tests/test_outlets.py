"""The outlets table (data/reference/outlets.csv) and its host / URL / source-name lookup."""
import csv

import pytest

from nlp.gazetteer import merged_province, province_names
from nlp.outlets import Outlet, home_province, host_of, outlet_for, outlets
from nlp.resources import reference_path

KINDS = {"party_paper", "party_portal", "gov_portal", "city_paper", "national"}


@pytest.fixture(scope="module")
def rows():
    with reference_path("outlets.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def provinces():
    return {r["province"]: r["province_2025"] for r in province_names()}


def test_header_and_kinds(rows):
    assert list(rows[0]) == ["host", "name", "kind", "province", "province_2025", "source"]
    assert {r["kind"] for r in rows} <= KINDS


def test_every_row_has_a_source_url(rows):
    for r in rows:
        assert r["source"].startswith(("https://", "http://")), r


def test_hosts_unique_lowercase_registrable(rows):
    hosts = [r["host"] for r in rows]
    assert len(hosts) == len(set(hosts))
    for h in hosts:
        assert h == h.lower().strip() and not h.startswith("www.") and "/" not in h and "." in h, h


def test_provinces_exist_and_merge(rows, provinces):
    assert len(provinces) == 63
    post = set(provinces.values())
    for r in rows:
        if r["kind"] == "national":
            assert r["province"] == "" and r["province_2025"] == "", r
            continue
        if r["province"] in provinces:  # pre-merger name
            assert r["province_2025"] == merged_province(r["province"]) == provinces[r["province"]], r
        else:  # outlet created after the merger: named by its post-2025 province
            assert r["province"] in post and r["province_2025"] == r["province"], r


def test_every_province_has_a_party_paper(rows, provinces):
    papers = [r for r in rows if r["kind"] == "party_paper"]
    assert set(provinces) <= {r["province"] for r in papers}
    assert len(set(provinces.values())) == 34
    assert set(provinces.values()) <= {r["province_2025"] for r in papers}


def test_every_province_has_portals(rows, provinces):
    for kind in ("party_portal", "gov_portal"):
        assert set(provinces) <= {r["province"] for r in rows if r["kind"] == kind}, kind


@pytest.mark.parametrize("url, host, province, merged", [
    ("https://dukcq.hatinh.gov.vn/xay-dung-dang/page-13/", "hatinh.gov.vn", "Hà Tĩnh", "Hà Tĩnh"),
    ("http://m.baohaiduong.vn/chinh-tri/x-129280", "baohaiduong.vn", "Hải Dương", "Hải Phòng"),
    ("https://daihoidang.lamdong.dcs.vn/tin-tuc", "lamdong.dcs.vn", "Lâm Đồng", "Lâm Đồng"),
    ("HTTPS://WWW.BaoDongNai.com.vn:443/chinh-tri/", "baodongnai.com.vn", "Đồng Nai", "Đồng Nai"),
    ("baoquangbinh.vn", "baoquangbinh.vn", "Quảng Bình", "Quảng Trị"),
    ("www.sggp.org.vn", "sggp.org.vn", "Hồ Chí Minh", "Hồ Chí Minh"),
    ("https://hcmcpv.org.vn/tin-tuc/x", "hcmcpv.org.vn", "Hồ Chí Minh", "Hồ Chí Minh"),
    ("https://baobacgiang.vn/a.html", "baobacgiang.vn", "Bắc Giang", "Bắc Ninh"),
    ("baocantho", "baocantho.com.vn", "Cần Thơ", "Cần Thơ"),
    ("baotayninh", "baotayninh.vn", "Tây Ninh", "Tây Ninh"),
    ("baobacninhtv", "baobacninhtv.vn", "Bắc Ninh", "Bắc Ninh"),
])
def test_lookup_provincial(url, host, province, merged):
    o = outlet_for(url)
    assert isinstance(o, Outlet) and o.host == host
    assert home_province(url) == province
    assert home_province(url, merged=True) == merged


@pytest.mark.parametrize("url", ["https://baomoi.com/x.epi", "https://nhandan.vn/a-post1.html",
                                 "nhandan", "dangcongsan", "https://www.qdnd.vn/x"])
def test_national_outlets_have_no_province(url):
    o = outlet_for(url)
    assert o is not None and o.kind == "national"
    assert home_province(url) is None and home_province(url, merged=True) is None


@pytest.mark.parametrize("bad", [None, "", "   ", "not a url", "http://", "https://[::1", 42,
                                 "https://example.com/x", "gov.vn", "dcs.vn", "com.vn",
                                 "unknownname", "https://notbaohaiduong.vn/x"])
def test_unknown_or_bad_input_is_none(bad):
    assert outlet_for(bad) is None
    assert home_province(bad) is None


def test_host_of():
    assert host_of("https://www.Example.VN:8080/a?b#c") == "example.vn"
    assert host_of("example.vn.") == "example.vn"
    assert host_of("not a url") is None


def test_table_loaded_once():
    assert outlets() is outlets()
