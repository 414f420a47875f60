"""The bundled demo site is well-formed and its expected facts match its pages."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "data" / "demo_site"
FACTS = json.loads((SITE / "expected_facts.json").read_text(encoding="utf-8"))
ARTICLES = FACTS["articles"]
BY_URL = {a["url"]: a for a in ARTICLES}
KEPT = [a for a in ARTICLES if a["status"] == "kept"]
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CATEGORY_STARTS = {
    "baocantho": "/baocantho/chinh-tri/xay-dung-dang/",
    "dangcongsan": "/dangcongsan/xay-dung-dang/",
    "baochinhphu": "/baochinhphu/chinh-tri/xay-dung-dang.htm",
}
CENTRAL_CSV = Path("/work/shared/reference/central-documents.csv")


def local(url: str) -> Path:
    """The file a static server would send for a root-relative URL."""
    path = urlsplit(url).path
    return SITE / (path.lstrip("/") + "index.html" if path.endswith("/") else path.lstrip("/"))


def html(url: str) -> str:
    return local(url).read_text(encoding="utf-8")


def tree(url: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html(url))


def text_of(el: lxml.html.HtmlElement) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def body_paragraphs(url: str, layout: str) -> list[str]:
    """Body paragraphs as a reader sees them: no captions, bylines or embedded boxes."""
    t = tree(url)
    if layout == "baocantho":
        ps = t.xpath('//div[contains(@class,"content-fck")]/p[not(img)]'
                     '[not(contains(@style,"center"))][not(contains(@style,"right"))]')
    elif layout == "dangcongsan":
        ps = t.xpath('//div[@class="post-content"]/p[not(contains(@style,"right"))]')
    else:
        ps = t.xpath('//div[@data-role="content"]/p')
    return [text_of(p) for p in ps if text_of(p)]


def reader_text(entry: dict) -> str:
    """NFC body text with the Ð→Đ repair applied."""
    text = "\n".join(body_paragraphs(entry["url"], entry["layout"]))
    return unicodedata.normalize("NFC", text).replace("\u00d0", "Đ").replace("\u00f0", "đ")


def category_pages(layout: str) -> list[str]:
    """Follow a section's pagination from its first listing page."""
    seen, todo = [], [CATEGORY_STARTS[layout]]
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.append(url)
        for href in tree(url).xpath('//div[@class="pagination"]/a/@href'):
            todo.append(urljoin(url, href))
    return seen


def sitemap_urls() -> list[str]:
    root = ET.parse(SITE / "sitemap.xml").getroot()
    return [u.findtext(f"{SM}loc") for u in root.findall(f"{SM}url")]


def rss_items(path: Path) -> list[tuple[str, str]]:
    root = ET.parse(path).getroot()
    return [(i.findtext("link"), i.findtext("pubDate")) for i in root.iter("item")]


# --------------------------------------------------------------------------- site level


def test_every_discovery_link_resolves_to_a_file():
    links = set(sitemap_urls())
    links |= {link for link, _ in rss_items(SITE / "rss.xml")}
    links |= {link for link, _ in rss_items(SITE / "baochinhphu" / "xay-dung-dang.rss")}
    for layout in CATEGORY_STARTS:
        for page in category_pages(layout):
            links |= {urljoin(page, h) for h in tree(page).xpath('//ul[@class="list-news"]//a/@href')}
    assert len(links) >= 45
    missing = [u for u in links if not u.startswith("/") or not local(u).is_file()]
    assert missing == []


def test_sitemap_covers_every_page_once_with_root_relative_locs():
    urls = sitemap_urls()
    assert len(urls) == len(set(urls))
    assert set(urls) == set(BY_URL)
    assert all(u.startswith("/") and "://" not in u for u in urls)
    root = ET.parse(SITE / "sitemap.xml").getroot()
    lastmods = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.findall(f"{SM}url")}
    for a in ARTICLES:
        assert (lastmods[a["url"]] is None) == (a["published"] is None), a["url"]


def test_every_page_is_listed_by_sitemap_or_category():
    listed = set()
    for layout in CATEGORY_STARTS:
        for page in category_pages(layout):
            listed |= set(tree(page).xpath('//ul[@class="list-news"]//a/@href'))
    for a in ARTICLES:
        assert a["url"] in listed or a["url"] in set(sitemap_urls())


def test_categories_paginate():
    for layout in CATEGORY_STARTS:
        pages = category_pages(layout)
        assert len(pages) >= 2, layout
    assert "/baocantho/chinh-tri/xay-dung-dang/page-2/" in category_pages("baocantho")
    assert "/dangcongsan/xay-dung-dang/page-2.html" in category_pages("dangcongsan")


def test_rss_feeds():
    items = rss_items(SITE / "rss.xml")
    assert len(items) == 20
    rfc = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                     r"\d{4} \d\d:\d\d:\d\d \+0700$")
    assert all(rfc.match(d) for _, d in items)
    us = rss_items(SITE / "baochinhphu" / "xay-dung-dang.rss")
    assert len(us) >= 10
    assert all(re.match(r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d\d:\d\d (AM|PM)$", d) for _, d in us)
    assert all(link.startswith("/baochinhphu/") for link, _ in us)


def test_robots_and_private_page():
    robots = (SITE / "robots.txt").read_text(encoding="utf-8")
    assert "Disallow: /private/" in robots and "Crawl-delay: 1" in robots
    private = re.findall(r'href="(/private/[^"]+)"', (SITE / "index.html").read_text(encoding="utf-8"))
    assert private and all(local(u).is_file() for u in private)
    assert not any(u.startswith("/private/") for u in sitemap_urls())


def test_every_page_is_utf8_vietnamese_html():
    for path in SITE.rglob("*"):
        if path.suffix in (".html", ".htm"):
            raw = path.read_bytes().decode("utf-8")
            assert '<meta charset="utf-8">' in raw, path
            assert '<html lang="vi">' in raw, path


# --------------------------------------------------------------------------- layouts


def test_three_layouts_each_with_at_least_ten_kept_articles():
    counts = Counter(a["layout"] for a in KEPT)
    assert set(counts) == {"baocantho", "dangcongsan", "baochinhphu"}
    assert min(counts.values()) >= 10


def test_url_schemes():
    for a in ARTICLES:
        u = a["url"]
        if a["layout"] == "baocantho":
            assert re.fullmatch(r"/baocantho/(print/)?[a-z0-9-]+-a\d+\.html", u), u
        elif a["layout"] == "dangcongsan":
            assert re.fullmatch(r"/dangcongsan/xay-dung-dang/[a-z0-9-]+-\d+\.html", u), u
        else:
            m = re.fullmatch(r"/baochinhphu/[a-z0-9-]+-102(\d{12})\d{3}\.htm", u)
            assert m, u
            if a["published"]:
                p = a["published"]
                stamp = p[2:4] + p[5:7] + p[8:10] + p[11:13] + p[14:16] + p[17:19]
                assert m.group(1) == stamp, u


def test_baocantho_furniture():
    a = next(x for x in KEPT if x["layout"] == "baocantho" and x["published"])
    page = html(a["url"])
    for s in ("Chia sẻ bài viết", "Từ khóa", "BÌNH LUẬN", "Ý kiến của bạn", "Gửi ý kiến", "Đọc thêm",
              "Bản quyền của Báo Cần Thơ", '<h1 class="margintopbot10 fw700">', "<strong>(CTO)</strong> - ",
              "- Ảnh: "):
        assert s in page, s
    t = tree(a["url"])
    assert t.xpath('//link[@rel="canonical"]/@href') == [a["url"]]
    pub = t.xpath('//span[contains(@class,"pubdate")]/text()')[0]
    assert re.fullmatch(r"\d\d/\d\d/\d{4} - \d\d:\d\d", pub)
    ld = json.loads(t.xpath('//script[@type="application/ld+json"]/text()')[0])
    assert ld["@type"] == "NewsArticle" and ld["datePublished"] == a["published"][:10]
    assert t.xpath('//div[contains(@class,"content-fck")]/p[last()]//strong/text()')[0].startswith(("Tin, ", "Bài, "))


def test_dangcongsan_header_date_is_not_the_publication_date():
    for a in (x for x in KEPT if x["layout"] == "dangcongsan"):
        t = tree(a["url"])
        header = t.xpath('//span[@class="header-date"]/text()')[0]
        assert header.startswith("Hôm nay, ngày ") and header.endswith("năm 2026")
        sub = t.xpath('//span[@class="post-subinfo"]/text()')[0]
        d = a["published"]
        assert f"{d[8:10]}/{d[5:7]}/{d[:4]}" in sub and d[11:16] in sub
        assert t.xpath('//div[@class="post-summary"]//text()')[0].startswith("(ĐCSVN) - ".replace("Đ", "Ð")
                                                                             if "Ð" in html(a["url"]) else "(ĐCSVN) - ")
        assert t.xpath('//div[@class="post-tag"]') and t.xpath('//div[@class="related-news"]')
    formats = {("|" in tree(a["url"]).xpath('//span[@class="post-subinfo"]/text()')[0])
               for a in KEPT if a["layout"] == "dangcongsan"}
    assert formats == {True, False}


def test_baochinhphu_embedded_related_box_and_captions():
    for a in (x for x in KEPT if x["layout"] == "baochinhphu"):
        t = tree(a["url"])
        content = t.xpath('//div[@data-role="content"]')[0]
        assert content.xpath('.//div[contains(@class,"VCSortableInPreviewMode")]//a'), a["url"]
        assert t.xpath('//h2[@class="detail-sapo"]/text()')[0].startswith("(Chinhphu.vn) - ")
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", t.xpath('//div[@data-role="publishdate"]/text()')[0])
        assert t.xpath('//a[@class="detail-author-top-name"]/text()')
        box_text = " ".join(text_of(d) for d in content.xpath('.//div[contains(@class,"VCSortableInPreviewMode")]'))
        assert box_text not in reader_text(a)
    assert any(" - Ảnh: VGP/" in html(a["url"]) for a in KEPT if a["layout"] == "baochinhphu")


# --------------------------------------------------------------------------- messy cases


def messy(kind: str) -> list[dict]:
    return [a for a in ARTICLES if a.get("messy") == kind]


def test_print_view_is_a_duplicate_url():
    (p,) = messy("print")
    assert p["status"] == "skipped" and p["skip_reason"] == "duplicate_url"
    main = BY_URL[p["duplicate_of"]]
    assert tree(p["url"]).xpath('//link[@rel="canonical"]/@href') == [main["url"]]
    assert re.search(r"-a(\d+)\.html$", p["url"]).group(1) == re.search(r"-a(\d+)\.html$", main["url"]).group(1)
    assert body_paragraphs(p["url"], "baocantho") == body_paragraphs(main["url"], "baocantho")
    assert p["url"] in sitemap_urls()


def test_syndicated_copy_is_a_near_duplicate_of_an_earlier_page():
    (c,) = messy("syndicated")
    orig = BY_URL[c["duplicate_of"]]
    assert c["status"] == "near_duplicate" and orig["status"] == "kept"
    assert c["layout"] != orig["layout"] and c["title"] != orig["title"]
    assert c["published"] > orig["published"]
    copy_paras = body_paragraphs(c["url"], c["layout"])
    orig_paras = body_paragraphs(orig["url"], orig["layout"])
    assert copy_paras == orig_paras[1:]
    assert c["metrics"] == [] and orig["metrics"]


def test_page_without_date():
    (a,) = messy("no_date")
    assert a["status"] == "kept" and a["published"] is None
    page = html(a["url"])
    assert "pubdate" not in page and "ld+json" not in page and "datePublished" not in page
    assert not re.search(r"\d\d/\d\d/\d{4}", page)


def test_not_party_article_is_skipped():
    (a,) = messy("not_party")
    assert a["status"] == "skipped" and a["skip_reason"] == "not_party_building"
    text = reader_text(a).lower()
    assert "đảng" not in text and "bóng" in text


def test_eth_page_uses_u00d0_everywhere():
    (a,) = messy("eth")
    assert a["status"] == "kept"
    body = "\n".join(body_paragraphs(a["url"], a["layout"]))
    assert "\u00d0" in body and "\u0110" not in body
    assert "\u00d0" in tree(a["url"]).xpath('//h1[@class="post-title"]/text()')[0]
    for m in a["metrics"] + a["directives"] + a["practices"]:
        assert "\u00d0" not in m["text"]


def test_empty_body_page():
    (a,) = messy("empty")
    assert a["status"] == "skipped" and a["skip_reason"] == "empty_body"
    t = tree(a["url"])
    assert t.xpath('//h1[@class="post-title"]/text()') and t.xpath('//div[@class="post-content"]')
    assert body_paragraphs(a["url"], a["layout"]) == []
    assert "Ý kiến bạn đọc" in html(a["url"])


def test_truncated_page():
    (a,) = messy("truncated")
    assert a["status"] == "skipped" and a["skip_reason"] == "truncated_html"
    raw = html(a["url"])
    assert "</html>" not in raw and "</body>" not in raw
    assert raw.rstrip().endswith(tuple("abcdefghijklmnopqrstuvwxyzàáảãạăâđêôơư")) or not raw.rstrip().endswith(">")


# --------------------------------------------------------------------------- expected facts


def test_expected_facts_file_is_formatted():
    raw = (SITE / "expected_facts.json").read_text(encoding="utf-8")
    assert raw == json.dumps(FACTS, ensure_ascii=False, indent=1) + "\n"


@pytest.mark.parametrize("entry", KEPT, ids=lambda a: a["url"].rsplit("/", 1)[-1][-24:])
def test_expected_texts_occur_in_the_page(entry):
    text = reader_text(entry)
    for group in ("directives", "metrics", "practices"):
        for item in entry[group]:
            assert item["text"] in text, (group, item["text"])
    for name in entry["bodies"] + entry["places"]:
        assert name in text, name
    for m in entry["metrics"]:
        assert m["unit"] in ("count", "percent")
        assert m["qualifier"] in ("exact", "approx", "gt", "lt", "target")
        if m["unit"] == "percent":
            assert m["text"].endswith("%")
        digits = re.match(r"[\d.,]+", m["text"]).group().rstrip(".,")
        num = float(digits.replace(".", "").replace(",", ".")) if m["unit"] == "count" or "," in digits \
            else float(digits)
        if "nghìn" in m["text"]:
            num *= 1000
        if "tỷ" in m["text"]:
            num = round(num * 1_000_000_000)
        assert num == m["value"], m


def test_article_lengths():
    for a in KEPT:
        paras = body_paragraphs(a["url"], a["layout"])
        words = len(" ".join(paras).split())
        assert 4 <= len(paras) <= 8, a["url"]
        assert 140 <= words <= 480, (a["url"], words)


def test_directive_keys_resolve():
    import csv
    central = {r["key"].split("@")[0] for r in csv.DictReader(CENTRAL_CSV.open(encoding="utf-8")) if r["key"]}
    used = {d["key"] for a in KEPT for d in a["directives"] if d["key"] and d["issuer"] == "TW"}
    assert used and used <= central | {k for k in used if "/BTCTW" in k and k in central}
    for a in KEPT:
        for d in a["directives"]:
            if d["key"]:
                assert d["key"] == f"{d['number']:02d}-{d['kind']}/{d['issuer']}"


def test_totals_add_up():
    t = FACTS["totals"]
    assert t["pages"] == len(ARTICLES)
    assert t["kept"] == len(KEPT) >= 40
    skipped = Counter(a["skip_reason"] for a in ARTICLES if a["status"] == "skipped")
    assert t["skipped"] == dict(skipped)
    assert set(skipped) == {"duplicate_url", "not_party_building", "empty_body", "truncated_html"}
    assert t["near_duplicate"] == sum(a["status"] == "near_duplicate" for a in ARTICLES) == 1
    assert t["pages"] == t["kept"] + sum(t["skipped"].values()) + t["near_duplicate"]
    assert t["metrics"] == sum(len(a["metrics"]) for a in KEPT)
    assert t["practices"] == sum(len(a["practices"]) for a in KEPT)
    assert t["documents"] == sorted({d["key"] for a in KEPT for d in a["directives"] if d["key"]})
    assert t["provinces"] == sorted({a["province"] for a in KEPT})
    assert len(t["provinces"]) >= 15
    for a in ARTICLES:
        assert a["status"] in ("kept", "skipped", "near_duplicate")
        assert (a["skip_reason"] is not None) == (a["status"] == "skipped")
        assert (a["duplicate_of"] is not None) == (a["status"] == "near_duplicate" or a["skip_reason"] == "duplicate_url")
        assert a["published_precision"] in (None, "day", "minute")


def test_merged_provinces_before_and_after_2025():
    merged = [a for a in KEPT if a["province"] != a["province_2025"]]
    assert len(merged) >= 7
    assert all(a["published"] and a["published"] < "2025-07-01" for a in merged)
    after = [a for a in KEPT if a["published"] and a["published"] >= "2025-07-01"]
    assert len(after) >= 3
    for a in after:
        assert not re.search(r"\b(huyện|quận)\b", reader_text(a)), a["url"]


# --------------------------------------------------------------------------- determinism


def load_builder():
    spec = importlib.util.spec_from_file_location("build_demo_site", ROOT / "scripts" / "build_demo_site.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["build_demo_site"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_build_is_deterministic_and_committed_site_is_current(tmp_path):
    mod = load_builder()
    mod.OUT = tmp_path / "site"
    mod.build()
    built = {p.relative_to(mod.OUT): p.read_bytes() for p in mod.OUT.rglob("*") if p.is_file()}
    committed = {p.relative_to(SITE): p.read_bytes() for p in SITE.rglob("*")
                 if p.is_file() and p.name != "README.md"}
    assert built.keys() == committed.keys()
    assert [k for k in built if built[k] != committed[k]] == []
