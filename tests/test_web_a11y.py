"""Accessibility of the web interface, checked by axe-core (npm, installed by `make install`
into tests/.node/) inside headless Chromium on the pages users open: search with results,
an article, compare as table, chart and map, a document, practices. WCAG 2 A/AA rules: labels,
contrast, names, landmarks, keyboard. Skipped with the reason when chromium or axe-core is
missing."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("XDD_CHROMIUM") or shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
AXE = Path(__file__).parent / ".node" / "node_modules" / "axe-core" / "axe.min.js"
if CHROMIUM is None:
    pytest.skip("no chromium binary (Debian's `chromium` package; `make install` installs it as root)",
                allow_module_level=True)
if not AXE.exists():
    pytest.skip("axe-core is not installed (`make install` runs npm for it)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (pip) is not installed: `make install`")


@pytest.fixture(scope="module")
def base_url(demo_kb):
    from pipelines.web.server import running

    with running(demo_kb[0]) as url:
        yield url


@pytest.fixture(scope="module")
def page(base_url):
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        pg = b.new_context(viewport={"width": 1280, "height": 900}).new_page()
        pg.set_default_timeout(15000)
        yield pg
        b.close()


def _first_doc(demo_kb) -> str:
    from pipelines import db

    with db.connect(demo_kb[0], read_only=True) as con:
        return con.execute("SELECT doc_id FROM articles WHERE duplicate_of IS NULL ORDER BY doc_id LIMIT 1").fetchone()[0]


PAGES = ["/", "/search?q=sinh+ho%E1%BA%A1t+chi+b%E1%BB%99", "/compare?indicator=%C4%91%E1%BA%A3ng+vi%C3%AAn",
         "/compare?indicator=%C4%91%E1%BA%A3ng+vi%C3%AAn&view=chart",
         "/compare?indicator=%C4%91%E1%BA%A3ng+vi%C3%AAn&view=map", "/document/05-CT/TW", "/practices"]


@pytest.mark.parametrize("path", PAGES + ["article"])
def test_no_wcag_a_or_aa_violations(page, base_url, demo_kb, path):
    url = base_url + (f"/article/{_first_doc(demo_kb)}" if path == "article" else path)
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}});
        return r.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(' ')}`);
    }""")
    assert result == [], f"{url}: {result}"
