"""Render the bundled demo site ``data/demo_site/`` from ``data/demo_src/articles/*.toml``.

Deterministic: running it twice gives identical bytes. Every article TOML holds the text
(title, lead, paragraphs, captions, byline) and its hand-checked facts; this script lays the
text out in one of three party-newspaper layouts, writes the site-level files (index,
sitemap, RSS, robots, category pages) and assembles ``expected_facts.json``.

Usage: ``python scripts/build_demo_site.py [--check]`` (``--check`` lists every number in the
article bodies that no annotated figure, document or known distractor covers).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "data" / "demo_src" / "articles"
OUT = ROOT / "data" / "demo_site"

TODAY = (14, 3, 2026)  # the "Hôm nay" header date on dangcongsan pages (fixed: deterministic)
PER_PAGE = 8
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
RFC_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
RFC_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
PLACEHOLDER_IMG = "/static/img/anh-minh-hoa.svg"

CAT = {
    "baocantho": "/baocantho/chinh-tri/xay-dung-dang/",
    "dangcongsan": "/dangcongsan/xay-dung-dang/",
    "baochinhphu": "/baochinhphu/chinh-tri/xay-dung-dang.htm",
}
LEAD_TAG = {"baocantho": "(CTO)", "dangcongsan": "(ĐCSVN)", "baochinhphu": "(Chinhphu.vn)"}


# --------------------------------------------------------------------------- data


@dataclass
class Article:
    """One article source (a TOML file) plus the fields derived from it."""

    raw: dict[str, Any]
    url: str = ""
    related: list["Article"] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.raw[name]
        except KeyError as exc:  # pragma: no cover - programming error
            raise AttributeError(name) from exc

    def get(self, name: str, default: Any = None) -> Any:
        return self.raw.get(name, default)

    @property
    def dt(self) -> datetime | None:
        p = self.raw.get("published")
        return datetime.fromisoformat(p) if p else None

    @property
    def byline(self) -> str:
        """The signature line as printed (``Tin, ảnh: P.Y`` on Cần Thơ pages)."""
        if self.raw.get("byline"):
            return self.raw["byline"]
        return f"Tin, ảnh: {self.author}" if self.layout == "baocantho" else self.author

    @property
    def messy(self) -> str:
        return self.raw.get("messy", "")


def article_url(a: dict[str, Any]) -> str:
    """The root-relative URL of an article, by layout."""
    layout, slug, aid = a["layout"], a["slug"], str(a["id"])
    if a.get("messy") == "print":
        return f"/baocantho/print/{slug}-a{aid}.html"
    if layout == "baocantho":
        return f"/baocantho/{slug}-a{aid}.html"
    if layout == "dangcongsan":
        return f"/dangcongsan/xay-dung-dang/{slug}-{aid}.html"
    return f"/baochinhphu/{slug}-{aid}.htm"


FACT_KEYS = ("directives", "metrics", "bodies", "places", "practices")


def derive(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """A page made from another article: its print view or a syndicated copy.

    ``from_mode = "print"`` keeps the text as is; ``"syndicate"`` moves the first paragraph
    into the lead (sapo) of the new layout and appends ``extra_captions``.
    """
    raw = {k: v for k, v in base.items() if k not in ("print_view",) + FACT_KEYS}
    if over.get("from_mode") == "syndicate":
        paras = list(base["paragraphs"])
        raw["lead"] = paras[0]
        raw["paragraphs"] = paras[1:]
        caps = [{"after": max(int(c["after"]) - 1, 0), "text": c["text"]} for c in base.get("captions", [])]
        raw["captions"] = caps + list(over.get("extra_captions", []))
        raw["byline"] = over.get("byline", base.get("author", ""))
    raw.update({k: v for k, v in over.items() if k not in ("from_file", "from_mode", "extra_captions")})
    return raw


def load_articles(src: Path = SRC) -> list[Article]:
    """Read every TOML source, sorted by file name, and attach URLs."""
    arts = []
    for path in sorted(src.glob("*.toml")):
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        if raw.get("from_file"):
            raw = derive(tomllib.loads((src / raw["from_file"]).read_text(encoding="utf-8")), raw)
        raw["_file"] = path.name
        arts.append(Article(raw=raw, url=article_url(raw)))
    ids = [(a.layout, str(a.id), a.messy == "print") for a in arts]
    assert len(ids) == len(set(ids)), "duplicate article id"
    return arts


def newest_first(arts: list[Article]) -> list[Article]:
    """Dated articles first, newest first; undated ones last (by id)."""
    dated = sorted((a for a in arts if a.dt), key=lambda a: (a.dt, str(a.id)), reverse=True)
    undated = sorted((a for a in arts if not a.dt), key=lambda a: str(a.id))
    return dated + undated


# --------------------------------------------------------------------------- text helpers


def eth(text: str, art: Article) -> str:
    """Write U+00D0 for U+0110 on the page that is typed with the wrong letter."""
    return text.replace("Đ", "\u00d0") if art.messy == "eth" else text


def e(text: str, art: Article | None = None) -> str:
    """HTML-escape (and apply the Ð quirk when the article has it)."""
    return escape(eth(text, art) if art else text, quote=True)


def fmt_cantho(dt: datetime) -> str:
    return dt.strftime("%d/%m/%Y - %H:%M")


def fmt_dcs(dt: datetime, style: int) -> str:
    if style % 2 == 0:
        return f"{WEEKDAYS[dt.weekday()]}, {dt:%d/%m/%Y - %H:%M}"
    return f"{dt:%H:%M} | {dt:%d/%m/%Y}"


def fmt_bcp(dt: datetime) -> str:
    return dt.strftime("%d/%m/%Y %H:%M")


def fmt_rfc822(dt: datetime) -> str:
    return (f"{RFC_DAYS[dt.weekday()]}, {dt.day:02d} {RFC_MONTHS[dt.month - 1]} {dt.year} "
            f"{dt:%H:%M:%S} +0700")


def fmt_us(dt: datetime) -> str:
    """baochinhphu RSS style: ``9/14/2024 6:44:00 PM``."""
    h12 = dt.hour % 12 or 12
    return f"{dt.month}/{dt.day}/{dt.year} {h12}:{dt:%M:%S} {'PM' if dt.hour >= 12 else 'AM'}"


def body_blocks(art: Article) -> list[tuple[str, str]]:
    """Paragraphs and captions in reading order as ``(kind, text)``."""
    caps: dict[int, list[str]] = {}
    for c in art.get("captions", []):
        caps.setdefault(int(c["after"]), []).append(c["text"])
    blocks: list[tuple[str, str]] = []
    for i, p in enumerate(art.get("paragraphs", [])):
        blocks.append(("p", p))
        blocks.extend(("caption", c) for c in caps.get(i, []))
    return blocks


def related_items(art: Article) -> str:
    return "\n".join(f'<li class="related-item"><a href="{r.url}" title="{e(r.title)}">{e(r.title)}</a></li>'
                     for r in art.related)


# --------------------------------------------------------------------------- layouts


def page_baocantho(art: Article) -> str:
    """A Báo Cần Thơ article page (or its print view)."""
    canonical = f"/baocantho/{art.slug}-a{art.id}.html"
    paras = art.get("paragraphs", [])
    desc = f"{LEAD_TAG['baocantho']} - {paras[0]}" if paras else art.title
    parts = []
    for i, (kind, text) in enumerate(body_blocks(art)):
        if kind == "p" and i == 0:
            parts.append(f'<p style="text-align: justify;"><strong>(CTO)</strong> - {e(text, art)}</p>')
        elif kind == "p":
            parts.append(f'<p style="text-align: justify;">{e(text, art)}</p>')
        else:
            parts.append(f'<p style="text-align: justify;"><img class="zoomimg" alt="" src="{PLACEHOLDER_IMG}" '
                         f'style="width: 700px; height: 436px;" /></p>\n'
                         f'<p style="text-align: center;"><em><span style="text-align: justify;">'
                         f'{e(text, art)}</span></em></p>')
    if art.get("author"):
        parts.append(f'<p style="text-align: right;"><strong>{e(art.byline, art)}</strong></p>')
    body = "\n\n".join(parts)
    dt = art.dt
    pubdate = f'<span class="pubdate 128">{fmt_cantho(dt)}</span>' if dt else ""
    ld = ""
    if dt:
        ld_obj = {"@context": "https://schema.org/", "@type": "NewsArticle", "name": eth(art.title, art),
                  "datePublished": dt.date().isoformat(), "description": eth(desc, art)[:160]}
        ld = ('<script type="application/ld+json">\n'
              + json.dumps(ld_obj, ensure_ascii=False, indent=2) + "\n</script>")
    if art.messy == "print":
        return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{e(art.title, art)} - Báo Cần Thơ Online</title>
<meta name="robots" content="noindex,follow" />
<link rel="canonical" href="{canonical}" />
</head>
<body onload="window.print();" class="print-view">
<div class="print-logo">BÁO CẦN THƠ ONLINE</div>
<span class="pubdate">{fmt_cantho(dt) if dt else ''}</span>
<h1 class="margintopbot10 fw700">{e(art.title, art)}</h1>
<div class="content-fck">
{body}
</div>
<div class="print-footer">Bản quyền của Báo Cần Thơ - Ghi rõ nguồn "Báo điện tử Cần Thơ" khi phát hành lại thông tin từ website này.</div>
</body>
</html>
"""
    tags = "".join(f'<a class="tag_item" title="{e(t)}" href="{CAT["baocantho"]}">{e(t)}</a>'
                   for t in art.get("tags", []))
    print_link = ""
    if art.get("print_view"):
        print_link = (f'<a href="/baocantho/print/{art.slug}-a{art.id}.html" title="In bài viết" rel="nofollow">'
                      f'<span class="sprite icoprint"></span></a>')
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{e(art.title, art)} - Báo Cần Thơ Online</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="Keywords" content="{e(', '.join(art.get('tags', [])))}" />
<meta name="Description" content="{e(desc, art)}" />
<meta name="robots" content="index,follow" />
<link rel="canonical" href="{canonical}" />
<meta property="og:type" content="article" />
<meta property="og:url" content="{canonical}" />
<meta property="og:title" content="{e(art.title, art)}" />
<meta property="og:description" content="{e(desc, art)}" />
<meta property="og:image" content="{PLACEHOLDER_IMG}" />
{ld}
</head>
<body>
<div id="header">
\t<div class="logo"><a href="/baocantho/chinh-tri/xay-dung-dang/">BÁO CẦN THƠ ONLINE</a></div>
\t<ul class="menu">
\t\t<li><a href="/">Trang chủ</a></li>
\t\t<li><a href="/baocantho/chinh-tri/xay-dung-dang/">Xây dựng Đảng</a></li>
\t</ul>
\t<div class="hotline">Đường dây nóng: 0292.3820.000</div>
</div>
<div id="content">
\t<div id="colcate1">
\t\t<div class="titlecate">
\t\t\t<h1><a href="/baocantho/chinh-tri/xay-dung-dang/">CHÍNH TRỊ</a><span class="fw400"> &gt; <a style="color:#b0b0b0;" href="/baocantho/chinh-tri/xay-dung-dang/">Xây dựng Đảng &amp; Hệ thống chính trị</a></span></h1>
\t\t</div>
\t\t<div id="clear" class="sharemxh detail-fb-like-share">
\t\t\t{pubdate}
\t\t\t<div class="fright"><a class="fb-share" href="javascript:void(0);">Chia sẻ Facebook</a> {print_link}</div>
\t\t</div>
\t\t<h1 class="margintopbot10 fw700">{e(art.title, art)}</h1>
\t\t<div id="clear"></div>
\t\t<div id="newscontents">
<div class="content-fck slider-jsgallery 171">
{body}
</div>
\t\t</div>
\t\t<div id="linkshare" data="248">
\t\t\t<div class="sharelike"><table border="0"><tr><td><b class="fs13" data="265">Chia sẻ bài viết</b></td>
\t\t\t<td class="detail-fb-like-share"><a href="javascript:void(0);">Chia sẻ Facebook</a> <a href="javascript:void(0);">Zalo</a></td></tr></table></div>
\t\t</div>
\t\t<div class="block_tag marginbottom10">
\t\t\t<div class="txt_tag">Từ khóa</div>
\t\t\t{tags}
\t\t</div>
\t\t<div id="comment">
\t\t\t<div class="titletd nobg"><a class="active fs13" href="javascript:void(0);"><b>BÌNH LUẬN</b></a></div>
\t\t\t<div id="postcomment"><form method="POST" name="frmComments" id="frmComments">
\t\t\t<textarea class="margintopbot10" rows="5" id="txtinfocomment" name="txtinfocomment">Ý kiến của bạn</textarea>
\t\t\t<div class="fright"><button class="btn_xanh_sm w100" onclick="return false;">Gửi ý kiến</button></div>
\t\t\t</form></div>
\t\t</div>
\t\t<div class="col-xs-12 detail-related">
\t\t\t<div class="related-title"><span class="cate-title"><a class="cate1" href="javascript:void(0);">Đọc thêm</a></span></div>
\t\t\t<ul class="related-list">
{related_items(art)}
\t\t\t</ul>
\t\t</div>
\t</div>
\t<div id="colcate2">
\t\t<div class="titletd">Tiêu điểm</div>
\t\t<div class="titletd">Đọc nhiều</div>
\t</div>
</div>
<div id="footer">
\t<div class="col-xs-12 i-title">Bản quyền của Báo Cần Thơ</div>
\t<p>Cơ quan của Đảng bộ Đảng Cộng sản Việt Nam thành phố Cần Thơ (trang mô phỏng cho dự án xdd).</p>
\t<p>Ghi rõ nguồn "Báo điện tử Cần Thơ" khi phát hành lại thông tin từ website này.</p>
</div>
</body>
</html>
"""


def dcs_header() -> str:
    d, m, y = TODAY
    return f"""<div class="header">
\t<div class="header-top container">
\t\t<span class="header-date">Hôm nay, ngày {d} tháng {m} năm {y}</span>
\t\t<a class="logo" href="/dangcongsan/xay-dung-dang/">BÁO ĐIỆN TỬ ĐẢNG CỘNG SẢN VIỆT NAM</a>
\t</div>
\t<nav class="main-menu container">
\t\t<a href="/">Trang chủ</a>
\t\t<a href="/dangcongsan/xay-dung-dang/">Xây dựng Đảng</a>
\t</nav>
</div>"""


DCS_FOOTER = """<footer class="footer">
\t<p>BÁO ĐIỆN TỬ ĐẢNG CỘNG SẢN VIỆT NAM (trang mô phỏng cho dự án xdd)</p>
\t<p>Ghi rõ nguồn "Báo điện tử Đảng Cộng sản Việt Nam" khi phát hành lại thông tin từ website này.</p>
</footer>"""


def page_dangcongsan(art: Article) -> str:
    """A dangcongsan.vn article page."""
    parts = []
    for kind, text in body_blocks(art):
        if kind == "p":
            parts.append(f'<p style="text-align: justify;">{e(text, art)}</p>')
        else:
            parts.append(f'<table class="image center"><tbody><tr><td><img src="{PLACEHOLDER_IMG}" alt="" /></td></tr>'
                         f'<tr><td class="image-desc"><p>{e(text, art)}</p></td></tr></tbody></table>')
    author_in_body = int(art.id) % 2 == 0
    if art.get("author") and author_in_body:
        parts.append(f'<p style="text-align: right;"><strong>{e(art.byline, art)}</strong></p>')
    author_p = ""
    if art.get("author") and not author_in_body:
        author_p = f'<p class="post-author">{e(art.byline, art)}</p>'
    dt = art.dt
    sub = f'<span class="post-subinfo">{fmt_dcs(dt, int(art.id))}</span>' if dt else ""
    summary = ""
    if art.get("lead"):
        summary = f'<div class="post-summary"><p>{e("(ĐCSVN) - " + art.lead, art)}</p></div>'
    tags = " ".join(f'<a href="{CAT["dangcongsan"]}">{e(t)}</a>' for t in art.get("tags", []))
    meta_desc = e("(ĐCSVN) - " + art.lead, art) if art.get("lead") else e(art.title, art)
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{e(art.title, art)}</title>
<meta name="description" content="{meta_desc}">
<link rel="canonical" href="{art.url}">
<meta property="og:title" content="{e(art.title, art)}">
<meta property="og:url" content="{art.url}">
<meta property="og:type" content="article">
</head>
<body>
{dcs_header()}
<div class="container">
<div class="detail-post hnoneview">
\t<div class="post-breadcrumb"><a href="/dangcongsan/xay-dung-dang/">Xây dựng Đảng</a></div>
\t<h1 class="post-title">{e(art.title, art)}</h1>
\t<div class="post-info">{sub}
\t\t<div class="post-share"><a class="share-fb" href="javascript:void(0);">Chia sẻ</a> <a class="share-zalo" href="javascript:void(0);">Zalo</a> <a class="print" href="javascript:window.print();">In bài</a> <a class="font-size" href="javascript:void(0);">A-</a> <a class="font-size" href="javascript:void(0);">A+</a></div>
\t</div>
\t{summary}
\t<div class="post-content">
{chr(10).join(parts)}
\t</div>
\t{author_p}
\t<div class="post-tag"><span class="tag-title">Từ khóa:</span> {tags}</div>
\t<div class="box-comment">
\t\t<h3 class="title">Ý kiến bạn đọc</h3>
\t\t<textarea placeholder="Nhập nội dung ý kiến"></textarea>
\t\t<button type="button">Gửi ý kiến</button>
\t</div>
\t<div class="related-news">
\t\t<h3 class="title">Bài liên quan</h3>
\t\t<ul>
{related_items(art)}
\t\t</ul>
\t</div>
</div>
</div>
{DCS_FOOTER}
</body>
</html>
"""


BCP_HEADER = """<header class="header">
\t<a class="logo" href="/baochinhphu/chinh-tri/xay-dung-dang.htm">BÁO ĐIỆN TỬ CHÍNH PHỦ</a>
\t<nav class="menu"><a href="/">Trang chủ</a> <a href="/baochinhphu/chinh-tri/xay-dung-dang.htm">Xây dựng Đảng</a> <a href="/baochinhphu/xay-dung-dang.rss">RSS</a></nav>
</header>"""

BCP_FOOTER = """<footer class="footer">
\t<p>Cơ quan chủ quản: Văn phòng Chính phủ (trang mô phỏng cho dự án xdd)</p>
\t<p>Ghi rõ nguồn "Cổng Thông tin điện tử Chính phủ" khi phát hành lại thông tin từ Cổng TTĐT Chính phủ.</p>
</footer>"""


def page_baochinhphu(art: Article) -> str:
    """A baochinhphu.vn article page (possibly truncated mid-body)."""
    parts = []
    rel = art.related[:2]
    paras = art.get("paragraphs", [])
    box_after = min(1, max(len(paras) - 1, 0))
    for i, (kind, text) in enumerate(body_blocks(art)):
        if kind == "p":
            parts.append(f"<p>{e(text, art)}</p>")
        else:
            parts.append(f'<figure class="VCSortableInPreviewMode" type="Photo"><div><img src="{PLACEHOLDER_IMG}" '
                         f'alt="" /></div><figcaption class="PhotoCMS_Caption"><p>{e(text, art)}</p></figcaption></figure>')
        if kind == "p" and text == (paras[box_after] if paras else None) and rel:
            items = "".join(f'<li><a href="{r.url}" title="{e(r.title)}">{e(r.title)}</a></li>' for r in rel)
            parts.append(f'<div class="VCSortableInPreviewMode" type="RelatedNews"><div class="kbwscwl-relatedbox">'
                         f'<strong>Tin liên quan</strong><ul>{items}</ul></div></div>')
    dt = art.dt
    date_div = f'<div class="detail-time"><div data-role="publishdate">{fmt_bcp(dt)}</div></div>' if dt else ""
    author = ""
    if art.get("author"):
        author = (f'<div class="detail-author-top"><a class="detail-author-top-name" href="javascript:void(0);">'
                  f'{e(art.author, art)}</a></div>')
    sapo = f'<h2 class="detail-sapo" data-role="sapo">{e("(Chinhphu.vn) - " + art.lead, art)}</h2>' if art.get("lead") else ""
    tags = " ".join(f'<a href="{CAT["baochinhphu"]}">{e(t)}</a>' for t in art.get("tags", []))
    head = f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{e(art.title, art)}</title>
<link rel="canonical" href="{art.url}">
<meta property="og:title" content="{e(art.title, art)}">
<meta property="og:url" content="{art.url}">
<meta property="og:type" content="article">
</head>
<body>
{BCP_HEADER}
<div class="detail-container">
\t<div class="detail-cate"><a href="{CAT['baochinhphu']}">Xây dựng Đảng</a></div>
\t<h1 class="detail-title" data-role="title">{e(art.title, art)}</h1>
\t{author}
\t{date_div}
\t{sapo}
\t<div class="detail-content afcbc-body" data-role="content">
"""
    if art.messy == "truncated":
        body = "\n".join(parts)
        marker = e(art.truncate_after, art)
        return head + body[:body.index(marker) + len(marker)]
    return head + "\n".join(parts) + f"""
\t</div>
\t<div class="detail-tab"><span>Từ khóa:</span> {tags}</div>
\t<div class="detail-related"><h3>Tin cùng chuyên mục</h3><ul>
{related_items(art)}
\t</ul></div>
</div>
{BCP_FOOTER}
</body>
</html>
"""


RENDER = {"baocantho": page_baocantho, "dangcongsan": page_dangcongsan, "baochinhphu": page_baochinhphu}


# --------------------------------------------------------------------------- listings


def category_urls(layout: str, n_pages: int) -> list[str]:
    """URL of each listing page of a section (page 1 first)."""
    base = CAT[layout]
    if layout == "baocantho":
        return [base] + [f"{base}page-{i}/" for i in range(2, n_pages + 1)]
    if layout == "dangcongsan":
        return [base] + [f"{base}page-{i}.html" for i in range(2, n_pages + 1)]
    return [base] + [f"/baochinhphu/chinh-tri/xay-dung-dang/trang-{i}.htm" for i in range(2, n_pages + 1)]


def url_to_path(url: str) -> Path:
    """Where a root-relative URL lives on disk (``index.html`` for directories)."""
    rel = url.lstrip("/")
    return OUT / (rel + "index.html" if url.endswith("/") else rel)


def listed(arts: list[Article], layout: str) -> list[Article]:
    """The pages a section's category listing links to (never print views)."""
    return newest_first([a for a in arts if a.layout == layout and a.messy != "print"])


def category_page(layout: str, items: list[Article], urls: list[str], page: int) -> str:
    """One listing page with its pagination bar."""
    names = {"baocantho": "Xây dựng Đảng & Hệ thống chính trị - Báo Cần Thơ Online",
             "dangcongsan": "Xây dựng Đảng - Báo điện tử Đảng Cộng sản Việt Nam",
             "baochinhphu": "Xây dựng Đảng - Báo điện tử Chính phủ"}
    lis = []
    for a in items:
        date = f'<span class="time">{a.dt:%d/%m/%Y}</span>' if a.dt else ""
        lis.append(f'<li class="news-item"><a class="item-title" href="{a.url}">{e(a.title, a)}</a> {date}</li>')
    pager = []
    if page > 1:
        pager.append(f'<a class="prev" href="{urls[page - 2]}">Trang trước</a>')
    for i, u in enumerate(urls, start=1):
        pager.append(f'<span class="current">{i}</span>' if i == page else f'<a href="{u}">{i}</a>')
    if page < len(urls):
        pager.append(f'<a class="next" href="{urls[page]}">Trang sau</a>')
    rss = '<link rel="alternate" type="application/rss+xml" href="/baochinhphu/xay-dung-dang.rss">' \
        if layout == "baochinhphu" else '<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{escape(names[layout])}{f' - Trang {page}' if page > 1 else ''}</title>
<link rel="canonical" href="{urls[page - 1]}">
{rss}
</head>
<body>
<h1 class="cate-title">{escape(names[layout].split(' - ')[0])}</h1>
<ul class="list-news">
{chr(10).join(lis)}
</ul>
<div class="pagination">{' '.join(pager)}</div>
</body>
</html>
"""


def write_categories(arts: list[Article]) -> dict[str, list[str]]:
    """Write every listing page; return the listing URLs per layout."""
    out = {}
    for layout in CAT:
        items = listed(arts, layout)
        n = max(1, -(-len(items) // PER_PAGE))
        urls = category_urls(layout, n)
        for p in range(1, n + 1):
            write(url_to_path(urls[p - 1]), category_page(layout, items[(p - 1) * PER_PAGE:p * PER_PAGE], urls, p))
        out[layout] = urls
    return out


def sitemap(arts: list[Article]) -> str:
    """One urlset with root-relative locs and per-article lastmod."""
    rows = []
    for a in sorted(arts, key=lambda a: a.url):
        lm = f"<lastmod>{a.dt.isoformat()}</lastmod>" if a.dt else ""
        rows.append(f"  <url><loc>{escape(a.url)}</loc>{lm}</url>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")


def rss(items: list[Article], title: str, link: str, date_fmt: Any) -> str:
    """RSS 2.0 with root-relative links."""
    out = []
    for a in items:
        desc = a.get("lead") or (a.get("paragraphs") or [a.title])[0]
        out.append(f"""  <item>
    <title>{e(a.title, a)}</title>
    <link>{a.url}</link>
    <guid isPermaLink="false">{a.layout}-{a.id}</guid>
    <description>{e(desc, a)}</description>
    <pubDate>{date_fmt(a.dt)}</pubDate>
  </item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>{escape(title)}</title>
  <link>{link}</link>
  <description>{escape(title)} (trang mô phỏng cho dự án xdd)</description>
  <language>vi</language>
{chr(10).join(out)}
</channel>
</rss>
"""


INDEX = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>xdd demo: tin xây dựng Đảng</title>
<link rel="alternate" type="application/rss+xml" href="/rss.xml">
</head>
<body>
<h1>Trang tin mô phỏng về công tác xây dựng Đảng</h1>
<p>Ba chuyên mục mô phỏng bố cục của ba tờ báo Đảng; nội dung do nhóm dự án xdd tự viết để thử nghiệm.</p>
<ul>
<li><a href="/baocantho/chinh-tri/xay-dung-dang/">Báo Cần Thơ - Xây dựng Đảng &amp; Hệ thống chính trị</a></li>
<li><a href="/dangcongsan/xay-dung-dang/">Báo điện tử Đảng Cộng sản Việt Nam - Xây dựng Đảng</a></li>
<li><a href="/baochinhphu/chinh-tri/xay-dung-dang.htm">Báo điện tử Chính phủ - Xây dựng Đảng</a></li>
</ul>
<p><a href="/sitemap.xml">Sơ đồ trang</a> · <a href="/rss.xml">RSS</a> · <a href="/private/ban-thao-noi-bo.html">Bản thảo nội bộ</a></p>
</body>
</html>
"""

PRIVATE = """<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>Bản thảo nội bộ - không đăng</title><meta name="robots" content="noindex,nofollow"></head>
<body>
<h1>Bản thảo nội bộ - không đăng</h1>
<p>Trang này nằm dưới /private/ và bị robots.txt chặn; trình thu thập không được tải trang này.</p>
<p>Nếu dữ liệu có chứa câu này thì bộ thu thập đã không tuân thủ robots.txt.</p>
</body>
</html>
"""

ROBOTS = "User-agent: *\nAllow: /\nDisallow: /private/\nCrawl-delay: 1\nSitemap: /sitemap.xml\n"

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="700" height="436" viewBox="0 0 700 436">'
       '<rect width="700" height="436" fill="#d9d9d9"/></svg>\n')


# --------------------------------------------------------------------------- expected facts


def directive(d: dict[str, Any]) -> dict[str, Any]:
    """A directive record; empty strings in the TOML (which has no null) become null."""
    out = {k: (None if v == "" else v) for k, v in d.items()}
    out.setdefault("number", None)
    return out


def entry(a: Article) -> dict[str, Any]:
    """The expected-facts record of one page."""
    kept = a.status == "kept"
    return {
        "url": a.url,
        "layout": a.layout,
        "status": a.status,
        "skip_reason": a.get("skip_reason") or None,
        "duplicate_of": a.get("duplicate_of") or None,
        "messy": a.messy or None,
        "note": a.get("note") or None,
        "title": a.title,
        "published": a.get("published") or None,
        "published_precision": a.get("published_precision") or None,
        "author": a.get("author") or None,
        "province": a.get("province") or None,
        "province_2025": a.get("province_2025") or None,
        "directives": [directive(d) for d in a.get("directives", [])] if kept else [],
        "metrics": [dict(m) for m in a.get("metrics", [])] if kept else [],
        "bodies": list(a.get("bodies", [])) if kept else [],
        "places": list(a.get("places", [])) if kept else [],
        "practices": [dict(p) for p in a.get("practices", [])] if kept else [],
    }


def expected_facts(arts: list[Article]) -> dict[str, Any]:
    """Assemble expected_facts.json (facts are counted only for kept pages)."""
    entries = [entry(a) for a in sorted(arts, key=lambda a: a.url)]
    for en in entries:
        for m in en["metrics"]:
            m.setdefault("period", None)
            m.setdefault("locality", en["province"])
    kept = [x for x in entries if x["status"] == "kept"]
    skipped: dict[str, int] = {}
    for x in entries:
        if x["status"] == "skipped":
            skipped[x["skip_reason"]] = skipped.get(x["skip_reason"], 0) + 1
    docs = sorted({d["key"] for x in kept for d in x["directives"] if d.get("key")})
    return {
        "version": 1,
        "articles": entries,
        "totals": {
            "pages": len(entries),
            "kept": len(kept),
            "skipped": dict(sorted(skipped.items())),
            "near_duplicate": sum(x["status"] == "near_duplicate" for x in entries),
            "provinces": sorted({x["province"] for x in kept if x["province"]}),
            "documents": docs,
            "metrics": sum(len(x["metrics"]) for x in kept),
            "practices": sum(len(x["practices"]) for x in kept),
        },
        "province_totals": _province_totals(),
    }


def _province_totals() -> dict[str, Any]:
    """The province totals the demo texts state, kept as data beside the article sources."""
    path = SRC.parent / "province_totals.json"
    return json.loads(path.read_text(encoding="utf-8"))["province_totals"] if path.exists() else {}


# --------------------------------------------------------------------------- validation


def reader_text(a: Article) -> str:
    """The body as a reader sees it (paragraphs only, lead tag included, captions excluded)."""
    paras = list(a.get("paragraphs", []))
    if a.layout == "baocantho" and paras:
        paras[0] = "(CTO) - " + paras[0]
    return "\n".join(paras)


def validate(a: Article) -> list[str]:
    """Every annotated span must occur verbatim in the body text."""
    errs = []
    text = reader_text(a)
    for group in ("directives", "metrics", "practices"):
        for item in a.get(group, []):
            if item["text"] not in text:
                errs.append(f"{a._file}: {group} text not found: {item['text']!r}")
    texts = [m["text"] for m in a.get("metrics", [])]
    taken = [False] * len(text)
    for t in sorted(set(texts), key=len, reverse=True):
        n = 0
        for m in re.finditer(r"(?<![\d.,/])" + re.escape(t), text):
            if not any(taken[m.start():m.end()]):
                n += 1
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
        if n != texts.count(t):
            errs.append(f"{a._file}: metric {t!r} occurs {n}x in the body but is annotated {texts.count(t)}x")
    for group in ("bodies", "places"):
        for s in a.get(group, []):
            if s not in text:
                errs.append(f"{a._file}: {group} not found: {s!r}")
    return errs


DISTRACTOR = re.compile(
    r"(ngày|tháng|năm|Ngày|Tháng|Năm|nhiệm kỳ|giai đoạn|khóa|lần thứ|số|từ|đến|Đại hội)\s*$")


def uncovered_numbers(a: Article) -> list[str]:
    """Numbers in the body not covered by an annotated figure or document (for --check)."""
    text = reader_text(a)
    covered = [False] * len(text)
    for group in ("metrics", "directives"):
        for item in a.get(group, []):
            start = 0
            while (i := text.find(item["text"], start)) >= 0:
                for k in range(i, i + len(item["text"])):
                    covered[k] = True
                start = i + 1
    out = []
    for m in re.finditer(r"\d[\d.,/-]*", text):
        if covered[m.start()]:
            continue
        ctx = text[max(0, m.start() - 25):m.end() + 20].replace("\n", " ")
        out.append(f"{a._file}: {m.group()!r}  …{ctx}…")
    return out


# --------------------------------------------------------------------------- main


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def link_related(arts: list[Article]) -> None:
    """Give each page up to three related links: the neighbours in its section's listing."""
    for layout in CAT:
        items = listed(arts, layout)
        for i, a in enumerate(items):
            a.related = [items[j % len(items)] for j in (i + 1, i + 2, i + 3) if items[j % len(items)] is not a]
    for a in arts:
        if a.messy == "print":
            a.related = []


def build(check: bool = False) -> dict[str, Any]:
    arts = load_articles()
    errs = [err for a in arts for err in validate(a)]
    if errs:
        raise SystemExit("validation failed:\n" + "\n".join(errs))
    if check:
        for a in arts:
            for line in uncovered_numbers(a) if a.status == "kept" else []:
                print(line)
    link_related(arts)
    readme = (OUT / "README.md").read_text(encoding="utf-8") if (OUT / "README.md").exists() else None
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    if readme is not None:
        write(OUT / "README.md", readme)
    for a in arts:
        write(url_to_path(a.url), RENDER[a.layout](a))
    write_categories(arts)
    write(OUT / "index.html", INDEX)
    write(OUT / "private" / "ban-thao-noi-bo.html", PRIVATE)
    write(OUT / "robots.txt", ROBOTS)
    write(OUT / "static" / "img" / "anh-minh-hoa.svg", SVG)
    write(OUT / "sitemap.xml", sitemap(arts))
    feedable = [a for a in newest_first(arts) if a.dt and a.messy != "print"]
    write(OUT / "rss.xml", rss(feedable[:20], "Tin xây dựng Đảng mới nhất", "/", fmt_rfc822))
    bcp = [a for a in feedable if a.layout == "baochinhphu"]
    write(OUT / "baochinhphu" / "xay-dung-dang.rss", rss(bcp, "Xây dựng Đảng - Báo Chính phủ",
                                                           CAT["baochinhphu"], fmt_us))
    facts = expected_facts(arts)
    write(OUT / "expected_facts.json", json.dumps(facts, ensure_ascii=False, indent=1) + "\n")
    return facts


if __name__ == "__main__":
    result = build(check="--check" in sys.argv)
    t = result["totals"]
    print(f"pages={t['pages']} kept={t['kept']} skipped={t['skipped']} near_duplicate={t['near_duplicate']} "
          f"provinces={len(t['provinces'])} documents={len(t['documents'])} metrics={t['metrics']} "
          f"practices={t['practices']}")
