"""Layered extraction: every source's fixture page in a changed layout, a page shaped like a real
tapchicongsan article, and the real saved baocantho page (../shared, skipped when absent) in its own
layout and in changed copies, under URLs of any shape."""
from __future__ import annotations

import json
import re
import threading
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from parsel import Selector

from crawler.parse import parse_article
from crawler.sources import load_sources

HERE = Path(__file__).resolve().parent
SITES = HERE / "fixtures" / "sites"
REAL = HERE.parents[1] / "shared" / "fixtures" / "html" / "baocantho" / "article_a196670.html"
SOURCES = load_sources()
FETCHED = datetime.fromisoformat("2026-06-01T00:00:00+07:00")
FURNITURE = ("Chia sẻ", "BÌNH LUẬN", "Bình luận", "Tin, ảnh:", "(CTO)", "Bản quyền", "Từ khóa", "Đánh giá bài viết",
             "★", "Đọc thêm", "Bài liên quan", "Trang chủ", "Ảnh:")


def fixture_pages() -> list[tuple[str, Path, dict]]:
    out = []
    for exp_path in sorted(SITES.rglob("*.expected.json")):
        stem = exp_path.name[: -len(".expected.json")]
        page = next(p for p in exp_path.parent.iterdir() if (p.name == stem or p.name.startswith(stem + ".")) and not p.name.endswith(".json"))
        out.append((exp_path.relative_to(SITES).parts[0], page, json.loads(exp_path.read_text(encoding="utf-8"))))
    return out


def renamed_classes(html: str) -> str:
    """A redesign: every class renamed, no og:/JSON-LD metadata left."""
    html = re.sub(r'class="([^"]*)"', lambda m: 'class="' + " ".join(c + "-v2" for c in m.group(1).split()) + '"', html)
    return re.sub(r'<meta property="og:[^>]*>|<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)


WIDGETS = ('<p>Từ khóa: chi bộ, đảng viên, sinh hoạt</p><p>Đánh giá bài viết: ★★★★★</p>'
           '<div class="box-more"><p>Tin cùng chuyên mục</p><p>Một tiêu đề tin khác về công tác đảng ở cơ sở</p></div>'
           '<p>Chia sẻ bài viết</p>')


def with_widgets(html: str) -> str:
    """Extra widgets at the end of the body (inside its container) and a share row at its start."""
    last = html.rfind("</p>")
    return html[: last + 4] + WIDGETS + html[last + 4:]


@pytest.mark.parametrize("name,page,exp", fixture_pages(), ids=lambda v: v if isinstance(v, str) else "")
@pytest.mark.parametrize("change", [renamed_classes, with_widgets, lambda h: with_widgets(renamed_classes(h))],
                         ids=["renamed", "widgets", "renamed+widgets"])
def test_changed_layout_comes_out_clean(name, page, exp, change):
    res = parse_article(change(page.read_text(encoding="utf-8")), exp["url"], SOURCES[name], FETCHED)
    assert res.ok, (res.skip, res.detail)
    a = res.article
    assert (a["title"], a["published"]) == (exp["title"], exp["published"])
    assert a["text"] == exp["text"]
    assert set(a["extracted_by"]) == {"title", "lead", "date", "author", "body", "tags", "canonical"}
    if change is renamed_classes:
        assert a["extracted_by"]["body"] != "source"


def test_current_layout_uses_the_source_selectors():
    for name, page, exp in fixture_pages():
        a = parse_article(page.read_bytes(), exp["url"], SOURCES[name], FETCHED).article
        assert a["extracted_by"]["body"] == "source" and a["extracted_by"]["title"] == "source", name


# A page shaped like a current tapchicongsan article (own text): breadcrumb, author block and
# date line above a "TCCS -" lead, a caption, then keywords, a rating widget and a related headline.
TCCS_PAGE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Đổi mới sinh hoạt chi bộ ở cơ sở - Tạp chí Cộng sản</title></head><body>
<div class="header"><span>Hôm nay, ngày 2 tháng 6 năm 2026</span></div>
<div class="{box}">
<ul class="crumbs"><li>Trang chủ</li><li>Chính trị - Xây dựng Đảng</li></ul>
<h1 class="article-heading">Đổi mới sinh hoạt chi bộ ở cơ sở</h1>
<div class="who"><p>TS. Trần Minh Quang</p><p>Viện Xây dựng Đảng, Học viện Chính trị</p></div>
<div class="when">09:15, ngày 21-03-2024</div>
<div class="text">
<p>TCCS - Chi bộ là nền tảng của Đảng ở cơ sở; chất lượng sinh hoạt chi bộ quyết định sức chiến đấu của đảng viên.</p>
<p>Nhiều đảng bộ xã đã chọn chuyên đề sát thực tế, phân công đảng viên chuẩn bị trước và lấy ý kiến người dân.</p>
<p><img src="/x.jpg"></p>
<p><em>Một buổi sinh hoạt chi bộ chuyên đề ở nông thôn_Ảnh: tư liệu</em></p>
<p>Cấp ủy cấp trên thường xuyên dự, kiểm tra và hướng dẫn để sinh hoạt chi bộ đi vào nền nếp, tránh hình thức.</p>
<p>Từ khóa: sinh hoạt chi bộ; đảng viên; cơ sở</p>
<p>Đánh giá bài viết: ★★★★★</p>
<p><a href="/-/2018/900001/khac.aspx">Xây dựng tổ chức cơ sở đảng trong sạch, vững mạnh ở vùng biên giới</a></p>
</div></div></body></html>"""


@pytest.mark.parametrize("box", ["journal-content-article", "clearfix ContentDetail"])
def test_tapchicongsan_shaped_page(box):
    url = "https://www.tapchicongsan.org.vn/web/guest/chinh-tri-xay-dung-dang/-/2018/900002/doi-moi.aspx"
    res = parse_article(TCCS_PAGE.replace("{box}", box), url, SOURCES["tapchicongsan"], FETCHED)
    assert res.ok, (res.skip, res.detail)
    a = res.article
    assert a["title"] == "Đổi mới sinh hoạt chi bộ ở cơ sở"
    assert (a["published"], a["published_precision"]) == ("2024-03-21T09:15:00+07:00", "minute")
    assert a["lead_tag"] == "TCCS"
    assert a["text"].startswith("Chi bộ là nền tảng của Đảng ở cơ sở")
    assert a["text"].endswith("tránh hình thức.")
    for junk in ("TCCS", "Trang chủ", "Trần Minh Quang", "09:15", "Từ khóa", "★", "vùng biên giới", "Ảnh:"):
        assert junk not in a["text"], junk
    assert a["author"] == "TS. Trần Minh Quang"
    assert a["tags"] == ["sinh hoạt chi bộ", "đảng viên", "cơ sở"]


# -- the real saved page ------------------------------------------------------------------------
def real_page() -> str:
    if not REAL.exists():
        pytest.skip("shared fixtures not available")
    return REAL.read_text(encoding="utf-8")


def real_expectations(html: str) -> dict:
    """Expected values read from the saved page itself (so no sentence of it lives in the project)."""
    sel = Selector(text=html)
    paras = [" ".join(" ".join(p.xpath(".//text()").getall()).split()) for p in sel.css("div.content-fck > p")]
    paras = [p for p in paras if len(p) > 60]
    return {"title": sel.css("meta[property='og:title']::attr(content)").get().strip(),
            "first": re.sub(r"^\(CTO\)\s*-\s*", "", paras[0])[:60], "last": paras[-1][-60:]}


def real_checks(article: dict | None, exp: dict) -> list[bool]:
    """The 11 checks of a real page: title, date with +07:00, body start and end, 7 furniture tokens."""
    if article is None:
        return [False] * 11
    text = article["text"]
    junk = ("Chia sẻ", "BÌNH LUẬN", "Tin, ảnh", "(CTO)", "Bản quyền", "Từ khóa", "Đánh giá bài viết")
    return [article["title"] == exp["title"], article["published"] == "2026-01-08T18:21:00+07:00",
            text.startswith(exp["first"]), text.endswith(exp["last"]), *(j not in text for j in junk)]


def moved_date(html: str) -> str:
    """The date moved from its span to a line under the title, without the class."""
    html = re.sub(r'<span class="pubdate[^"]*">([^<]*)</span>', "", html)
    return html.replace('<div class="content-fck', '<p class="meta-line">Thứ Năm, 08/01/2026 - 18:21</p><div class="content-fck', 1)


def real_widgets(html: str) -> str:
    cut = html.index('<p style="text-align: right;"><strong>Tin, ảnh')
    return html[:cut] + WIDGETS + html[cut:]


@pytest.mark.parametrize("change", [lambda h: h, renamed_classes, moved_date, real_widgets,
                                    lambda h: real_widgets(moved_date(renamed_classes(h)))],
                         ids=["as-saved", "renamed", "moved-date", "widgets", "all"])
def test_real_baocantho_page_scores_11_of_11(change):
    html = real_page()
    res = parse_article(change(html), "http://127.0.0.1/any/shape/page", SOURCES["baocantho"], FETCHED, explicit=True)
    assert res.ok, (res.skip, res.detail)
    assert real_checks(res.article, real_expectations(html)) == [True] * 11
    assert res.article["province"] == "Cần Thơ" and res.article["site_article_id"] == "196670"


def test_real_page_under_any_url_through_the_crawler(tmp_path):
    from crawler.run import CrawlOptions, crawl

    html = real_page()
    root = tmp_path / "site"
    for rel in ("any/shape/page", "bai-viet/123.htm", "x.php"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(html, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        out = tmp_path / "real.jsonl"
        seen = {"x": {"url": f"{base}/x.php", "canonical_url": "https://baocantho.com.vn/x", "content_hash": "0"}}
        report = crawl(CrawlOptions(urls=[f"{base}/any/shape/page"], source="baocantho", output=out, raw_dir=None,
                                    progress=False, seen=seen))
    finally:
        server.shutdown()
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert report.kept == 1 and real_checks(records[0], real_expectations(html)) == [True] * 11
    assert records[0]["extracted_by"]["body"] == "source" and records[0]["province"] == "Cần Thơ"
    assert report.health["baocantho"]["hit_rate"]["body"] == 1.0 and not report.warnings


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def guess_type(self, path) -> str:
        return "text/html; charset=utf-8"
