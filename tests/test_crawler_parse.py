"""Pure parsing: saved pages → article records or counted skips (no network, no Scrapy engine)."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from crawler.dates import parse_date
from crawler.decode import decode_html
from crawler.furniture import clean_line, split_lead_tag
from crawler.parse import canonicalise, parse_article
from crawler.sources import load_sources

HERE = Path(__file__).resolve().parent
SITES = HERE / "fixtures" / "sites"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SOURCES = load_sources()
FETCHED = datetime.fromisoformat("2026-06-01T00:00:00+07:00")
FIELDS = ("canonical_url", "site_article_id", "title", "lead", "lead_tag", "author",
          "published", "published_precision", "tags", "text")


def fixture_pages() -> list[Path]:
    return sorted(p for p in SITES.glob("*/**/*") if p.is_file() and not p.name.endswith(".json")
                  and p.with_name(p.name.rsplit(".", 1)[0] + ".expected.json").exists()
                  or p.is_file() and p.with_name(p.name + ".expected.json").exists())


def expected_for(page: Path) -> dict:
    stem = page.name.rsplit(".", 1)[0] if "." in page.name else page.name
    return json.loads(page.with_name(stem + ".expected.json").read_text(encoding="utf-8"))


def test_every_source_has_a_fixture_page():
    covered = {p.relative_to(SITES).parts[0] for p in fixture_pages()}
    assert covered <= set(SOURCES)
    # sources without a saved page are provincial papers configured from URL shapes only
    for name in set(SOURCES) - covered:
        assert "outlets.csv" in SOURCES[name].evidence, name


@pytest.mark.parametrize("name", sorted(n for n, s in SOURCES.items() if "outlets.csv" in s.evidence))
def test_unverified_config_reads_a_page_through_the_fallbacks(name):
    import re

    page = next(SITES.glob("baocantho/*.html"))
    exp = expected_for(page)
    html = re.sub(r'class="([^"]*)"', lambda m: 'class="x-' + m.group(1).replace(" ", " x-") + '"', page.read_text(encoding="utf-8"))
    res = parse_article(html, "https://example.invalid/any-shape", SOURCES[name], FETCHED, explicit=True)
    assert res.ok, (res.skip, res.detail)
    assert (res.article["title"], res.article["published"], res.article["text"]) == (exp["title"], exp["published"], exp["text"])
    assert res.article["province"], name     # the outlet's province from outlets.csv


@pytest.mark.parametrize("page", fixture_pages(), ids=lambda p: p.relative_to(SITES).parts[0])
def test_fixture_page_parses_to_expected_json(page: Path):
    exp = expected_for(page)
    assert page.read_text(encoding="utf-8").splitlines()[1].startswith("<!-- Hand-made fixture")
    source = SOURCES[page.relative_to(SITES).parts[0]]
    res = parse_article(page.read_bytes(), exp["url"], source, FETCHED)
    assert res.ok, (res.skip, res.detail)
    assert {k: res.article[k] for k in FIELDS} == {k: exp[k] for k in FIELDS}
    assert res.article["source"] == source.name and len(res.article["doc_id"]) == 16


def real_baocantho() -> bytes:
    path = SHARED / "fixtures" / "html" / "baocantho" / "article_a196670.html"
    if not path.exists():
        pytest.skip("shared fixtures not available")
    return path.read_bytes()


def test_real_baocantho_article():
    url = ("https://baocantho.com.vn/tap-trung-trien-khai-cac-dot-thanh-tra-kiem-tra-co-trong-tam-"
           "trong-diem-nhat-la-cac-linh-vuc-co-ng-a196670.html")
    res = parse_article(real_baocantho(), url, SOURCES["baocantho"], FETCHED)
    a = res.article
    assert a["title"] == ("Tập trung triển khai các đợt thanh tra, kiểm tra có trọng tâm, trọng điểm "
                          "nhất là các lĩnh vực có nguy cơ")
    assert a["published"] == "2026-01-08T18:21:00+07:00" and a["published_precision"] == "minute"
    assert a["text"].startswith("Ngày 8-1, Phó Thủ tướng")
    for junk in ("Chia sẻ bài viết", "BÌNH LUẬN", "Tin, ảnh:", "(CTO)", "Bản quyền"):
        assert junk not in a["text"]
    assert a["lead_tag"] == "CTO" and a["author"] == "P.Y" and a["site_article_id"] == "196670"
    assert a["canonical_url"] == url


def test_real_page_date_never_after_fetch_time():
    url, src = "https://baocantho.com.vn/x-a196670.html", SOURCES["baocantho"]
    noon = parse_article(real_baocantho(), url, src, datetime.fromisoformat("2026-01-08T12:00:00+07:00"))
    assert (noon.article["published"], noon.article["published_precision"]) == ("2026-01-08T00:00:00+07:00", "day")
    before = parse_article(real_baocantho(), url, src, datetime.fromisoformat("2026-01-07T12:00:00+07:00"))
    assert before.ok and before.article["published"] is None


@pytest.mark.parametrize("text,order,iso,precision", [
    ("08/01/2026 - 18:21", "dmy", "2026-01-08T18:21:00+07:00", "minute"),
    ("Thứ Hai, 12/03/2018 - 10:15", "dmy", "2018-03-12T10:15:00+07:00", "minute"),
    ("Thứ tư, 02/10/2013 - 10:12", "dmy", "2013-10-02T10:12:00+07:00", "minute"),
    ("24/09/2024 4:15 PM", "dmy", "2024-09-24T16:15:00+07:00", "minute"),
    ("06:34, ngày 13-10-2023", "dmy", "2023-10-13T06:34:00+07:00", "minute"),
    ("09:59 | 31/05/2013", "dmy", "2013-05-31T09:59:00+07:00", "minute"),
    ("15:05 - 25/05/2024", "dmy", "2024-05-25T15:05:00+07:00", "minute"),
    ("Thứ Bảy, 20.01.2018 - 04:24:21", "dmy", "2018-01-20T04:24:21+07:00", "minute"),
    ("Thứ Tư, 08/04/2015, 08:11 [GMT+7]", "dmy", "2015-04-08T08:11:00+07:00", "minute"),
    ("Thứ hai, 26 Tháng 10 2020 14:49", "dmy", "2020-10-26T14:49:00+07:00", "minute"),
    ("ngày 24 tháng 11 năm 2024", "dmy", "2024-11-24T00:00:00+07:00", "day"),
    ("NGÀY 24 THÁNG 11, 2024 | 10:15", "dmy", "2024-11-24T10:15:00+07:00", "minute"),
    ("2024-11-24T10:15:00+0700", "dmy", "2024-11-24T10:15:00+07:00", "minute"),
    ("2024-11-24T03:15:00Z", "dmy", "2024-11-24T10:15:00+07:00", "minute"),
    ("2026-01-08", "dmy", "2026-01-08T00:00:00+07:00", "day"),
    ("9/14/2024 6:44:00 PM", "mdy", "2024-09-14T18:44:00+07:00", "minute"),
    ("Sat, 14 Sep 2024 18:44:00 +0700", "dmy", "2024-09-14T18:44:00+07:00", "minute"),
])
def test_vietnamese_date_formats(text, order, iso, precision):
    d = parse_date(text, order)
    assert (d.iso(), d.precision) == (iso, precision)


@pytest.mark.parametrize("text", ["", "Hôm nay", "32/13/2024", "lượt xem 604"])
def test_unparseable_dates_are_none(text):
    assert parse_date(text) is None


def test_every_configured_date_format_parses():
    for src in SOURCES.values():
        assert src.date_formats, src.name
        for example in src.date_formats:
            assert parse_date(example, src.date_order) is not None, (src.name, example)


@pytest.mark.parametrize("line,kept", [
    ("Phiên họp của Chính phủ - Ảnh: VGP/Nhật Bắc", ""),
    ("Hội nghị Trung ương lần thứ tám_Ảnh: TTXVN", ""),
    ("Điểm danh đảng viên bằng mã QR. (Ảnh: Báo Cần Thơ)", ""),
    ("Tin, ảnh: P.Y", ""),
    ("Chia sẻ bài viết", ""),
    ("leftcenterrightdel", ""),
    ("Bản quyền của Báo Cần Thơ", ""),
    ("Chi bộ họp định kỳ vào ngày 5 hằng tháng.", "Chi bộ họp định kỳ vào ngày 5 hằng tháng."),
])
def test_furniture_lines(line, kept):
    assert clean_line(line) == kept


@pytest.mark.parametrize("text,tag,rest", [
    ("(CTO) - Ngày 8-1, hội nghị", "CTO", "Ngày 8-1, hội nghị"),
    ("(ĐCSVN) - Sáng 5-10", "ĐCSVN", "Sáng 5-10"),
    ("(Chinhphu.vn) - Chính phủ", "Chinhphu.vn", "Chính phủ"),
    ("Chi bộ (ấp 3) - họp", None, "Chi bộ (ấp 3) - họp"),
])
def test_lead_tags(text, tag, rest):
    assert split_lead_tag(text) == (tag, rest)


def test_tccs_lead_tag_needs_the_source_pattern():
    assert split_lead_tag("TCCS - Xây dựng Đảng", SOURCES["tapchicongsan"].pattern("lead_tag")) == ("TCCS", "Xây dựng Đảng")


def test_canonical_url_resolved_and_utm_stripped():
    assert canonicalise("/a-a1.html?utm_source=x&page=2#top", "http://h.vn/b/c.html") == "http://h.vn/a-a1.html?page=2"


# -- skips ---------------------------------------------------------------------------------
def baocantho_page() -> tuple[str, str]:
    page = next(SITES.glob("baocantho/*.html"))
    return page.read_text(encoding="utf-8"), expected_for(page)["url"]


def test_eth_is_repaired_at_ingest():
    html, url = baocantho_page()
    res = parse_article(html.replace("Đ", "\u00d0"), url, SOURCES["baocantho"], FETCHED)
    assert res.ok and "\u00d0" not in res.article["text"] + res.article["title"]
    assert "Đảng ủy xã Thới Hòa" in res.article["text"]


def test_nfd_input_is_composed():
    import unicodedata

    html, url = baocantho_page()
    res = parse_article(unicodedata.normalize("NFD", html), url, SOURCES["baocantho"], FETCHED)
    assert res.ok and unicodedata.is_normalized("NFC", res.article["text"])


def test_truncated_html_is_skipped():
    html, url = baocantho_page()
    cut = html[: html.index("Năm qua")]
    assert parse_article(cut, url, SOURCES["baocantho"], FETCHED).skip == "truncated_html"


@pytest.mark.parametrize("html", ["", "   ", b"", b"\x00\x00"])
def test_empty_documents_are_skipped(html):
    assert parse_article(html, "https://baocantho.com.vn/x-a1.html", SOURCES["baocantho"]).skip in ("empty_body", "truncated_html")


def test_empty_body_is_skipped():
    html, url = baocantho_page()
    start, end = html.index('<div class="content-fck'), html.index('<div class="share">')
    res = parse_article(html[:start] + '<div class="content-fck"></div>' + html[end:], url, SOURCES["baocantho"], FETCHED)
    assert res.skip == "empty_body" and res.detail.startswith("0 characters")


def test_not_vietnamese_is_skipped():
    html, url = baocantho_page()
    english = "<p>The committee met on Monday to review the annual budget and the new parking rules for the town.</p>" * 6
    start, end = html.index('<div class="content-fck'), html.index('<div class="share">')
    res = parse_article(html[:start] + f'<div class="content-fck">{english}</div>' + html[end:], url, SOURCES["baocantho"], FETCHED)
    assert res.skip == "not_vietnamese"


def test_not_party_building_is_skipped():
    html, url = baocantho_page()
    sport = ("<p>Chiều qua, đội bóng đá thiếu niên của thành phố thắng trận thứ ba liên tiếp trên sân nhà "
             "và giành quyền vào vòng trong của giải đấu khu vực.</p>") * 3
    start, end = html.index('<div class="content-fck'), html.index('<div class="share">')
    page = (html[:start] + f'<div class="content-fck">{sport}</div>' + html[end:]).replace(
        "Thới Hòa đổi mới sinh hoạt chi bộ chuyên đề", "Đội bóng thiếu niên thắng trận")
    page = page.replace("chi bộ</a>", "bóng đá</a>").replace("đảng viên</a>", "thể thao</a>")
    page = page.replace('<meta property="og:description"', '<meta name="x"')
    assert parse_article(page, url, SOURCES["baocantho"], FETCHED).skip == "not_party_building"


def test_url_that_is_not_an_article():
    html, _ = baocantho_page()
    assert parse_article(html, "https://baocantho.com.vn/chinh-tri/", SOURCES["baocantho"]).skip == "not_article"


def test_wrong_declared_charset_is_detected():
    html, url = baocantho_page()
    raw = html.encode("utf-8")
    text, how = decode_html(raw, "text/html; charset=iso-8859-1")
    assert how == "utf-8!" and "Đảng ủy xã Thới Hòa" in text
    res = parse_article(raw, url, SOURCES["baocantho"], FETCHED, content_type="text/html; charset=windows-1252")
    assert res.ok and "Đảng ủy xã Thới Hòa" in res.article["text"] and "Ã" not in res.article["text"]


def test_mojibake_string_is_repaired():
    html, url = baocantho_page()
    broken = html.encode("utf-8").decode("latin-1")
    res = parse_article(broken, url, SOURCES["baocantho"], FETCHED)
    assert res.ok and "Đảng ủy xã Thới Hòa" in res.article["text"]


def test_legacy_tcvn3_page_is_not_vietnamese_text():
    html, url = baocantho_page()
    legacy = "<p>Häc viÖn chÝnh trÞ quèc gia tæ chøc héi nghÞ vÒ c«ng t¸c x©y dùng §¶ng n¨m nay.</p>" * 5
    start, end = html.index('<div class="content-fck'), html.index('<div class="share">')
    page = html[:start] + f'<div class="content-fck">{legacy}</div>' + html[end:]
    page = page.replace('<meta property="og:description"', '<meta name="x"')
    assert parse_article(page.encode("latin-1", "replace"), url, SOURCES["baocantho"], FETCHED).skip == "not_vietnamese"


def test_generic_mode_uses_trafilatura():
    html, url = baocantho_page()
    res = parse_article(html, "https://example.org/tin/thoi-hoa.html", None, FETCHED)
    assert res.ok and res.article["source"] == "example.org" and res.article["site_article_id"] is None
    assert "Năm qua, Đảng bộ xã kết nạp 14 đảng viên mới" in res.article["text"]


def test_garbage_never_raises():
    for junk in (b"\xff\xfe\x00<", "<html><body><div class='content-fck'>" + "<b>" * 5000, "<?xml?><rss/>"):
        res = parse_article(junk, "https://baocantho.com.vn/x-a1.html", SOURCES["baocantho"])
        assert not res.ok and res.skip
