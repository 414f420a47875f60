"""`xdd sources` (configured + generic outlets with provinces) and `xdd sources --check` against
local fixture sites, one of them in a changed layout (renamed classes): drift is reported."""
from __future__ import annotations

import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "tests" / "fixtures" / "sites" / "baocantho" / "thoi-hoa-doi-moi-sinh-hoat-chi-bo-chuyen-de-a90001.html"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_sources_lists_configured_and_generic_with_provinces():
    from pipelines.crawling import list_sources

    rows = {r["name"]: r for r in list_sources()}
    assert sum(r["kind"] == "configured" for r in rows.values()) >= 21
    assert rows["baocantho"]["province"] == "Cần Thơ" and rows["baohagiang"]["province_2025"] == "Tuyên Quang"
    generic = [r for r in rows.values() if r["kind"] == "generic"]
    assert len(generic) > 50 and all(r["domains"] for r in generic)


def test_generic_outlet_by_name():
    from crawler.sources import get_source

    src = get_source("baobinhdinh")
    assert src.generic and src.robots_sitemaps and src.domains == ("baobinhdinh.vn",)
    assert src.article_id_of("https://baobinhdinh.vn/viewer.aspx?x-123456.htm") is None or True
    assert src.is_article_url("https://baobinhdinh.vn/chinh-tri/202401/chi-bo-xa-1234567/")


def test_sources_check_reports_drift(tmp_path, monkeypatch):
    site = tmp_path / "site"
    html = PAGE.read_text(encoding="utf-8")
    renamed = re.sub(r'class="([^"]*)"', lambda m: 'class="v2-' + m.group(1).replace(" ", " v2-") + '"', html)
    for folder, page in (("good", html), ("drift", renamed)):
        (site / folder).mkdir(parents=True)
        links = []
        for i in range(3):
            (site / folder / f"bai-{i}-a9{i}001.html").write_text(page.replace("a90001", f"a9{i}001"), encoding="utf-8")
            links.append(f'<a href="/{folder}/bai-{i}-a9{i}001.html">bài {i}</a>')
        (site / folder / "index.html").write_text("<html><body>" + "".join(links) + "</body></html>", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    conf = tmp_path / "sources"
    conf.mkdir()
    shutil.copy(ROOT / "crawler" / "sources" / "_common.toml", conf)
    template = (ROOT / "crawler" / "sources" / "baocantho.toml").read_text(encoding="utf-8")
    for name in ("good", "drift"):
        text = template.replace('name = "baocantho"', f'name = "{name}"')
        text = re.sub(r"feeds = \[.*?\]\n", "", text)
        text = re.sub(r"categories = \[.*?\]", f'categories = ["{base}/{name}/index.html"]', text)
        (conf / f"{name}.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("XDD_SOURCES_DIR", str(conf))
    from crawler.sources import _load

    _load.cache_clear()
    try:
        from pipelines.cli import main

        res = CliRunner().invoke(main, ["sources", "--check", "--format", "json"])
    finally:
        server.shutdown()
        _load.cache_clear()
    assert res.exit_code == 0, res.output
    import json

    out = json.loads(res.output[res.output.index("{"):])
    by = {r["name"]: r for r in out["sources"]}
    assert by["good"]["status"] == "ok" and by["good"]["kept"] == 3 and by["good"]["hit_rate"]["body"] == 1.0
    assert by["drift"]["kept"] == 3 and by["drift"]["hit_rate"]["body"] == 0.0 and by["drift"]["status"] == "drift"
    assert any(w.startswith("drift: body selectors matched 0%") for w in out["warnings"])
