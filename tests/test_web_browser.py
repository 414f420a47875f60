"""The web interface in a real browser: headless Chromium from Debian's `chromium` package,
driven by Playwright (never `playwright install`). Screenshots go to tests/screenshots/
(git-ignored). Skipped, with the reason, only when no chromium binary exists."""
from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("XDD_CHROMIUM") or shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
if CHROMIUM is None:
    pytest.skip("no chromium binary (Debian's `chromium` package; `make install` installs it as root)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (pip) is not installed: `make install`")

SHOTS = Path(__file__).parent / "screenshots"
QUERY = "sinh hoạt chi bộ"


@pytest.fixture(scope="module")
def base_url(demo_kb):
    from pipelines.web.server import running

    with running(demo_kb[0]) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url):
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    outside = []
    ctx.on("request", lambda req: outside.append(req.url) if not req.url.startswith(base_url)
           and not req.url.startswith(("data:", "about:")) else None)
    pg = ctx.new_page()
    pg.set_default_timeout(15000)
    yield pg
    ctx.close()
    assert not outside, f"requests left 127.0.0.1: {outside}"


def _total(pg) -> int:
    return int(pg.locator("#total").inner_text().replace(".", ""))


def test_type_query_tick_facet(page, base_url):
    page.goto(base_url + "/search")
    page.fill("#q", QUERY)
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    total = _total(page)
    assert total > 10 and page.locator("ol.hits > li").count() == 10
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)
    facet = page.locator("aside.facets ul.tree ul a.facet", has_text="Bắc Giang").first
    expected = int(facet.locator(".n").inner_text().replace(".", ""))
    facet.click()
    page.wait_for_url("**province=*")
    assert _total(page) == expected < total
    assert page.locator("aside.facets a.facet.on", has_text="Bắc Giang").count() == 1
    page.screenshot(path=str(SHOTS / "search_facet.png"), full_page=True)
    page.locator("aside.facets a.facet.on", has_text="Bắc Giang").click()   # untick
    page.wait_for_load_state()
    assert _total(page) == total


def test_article_figures_highlighted(page, base_url, demo_kb):
    from pipelines import db

    with db.connect(demo_kb[0], read_only=True) as con:
        doc_id = con.execute("SELECT doc_id FROM metrics GROUP BY doc_id ORDER BY count(*) DESC, doc_id LIMIT 1").fetchone()[0]
    page.goto(f"{base_url}/article/{doc_id}")
    figures = page.locator("#text mark.fig")
    assert figures.count() >= 1
    assert figures.first.is_visible()
    colour = figures.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator(".legend li").count() >= 5
    page.screenshot(path=str(SHOTS / "article.png"), full_page=True)


def test_compare_table_chart_map_and_csv(page, base_url):
    page.goto(base_url + "/compare")
    page.select_option("#indicator", "dang_vien")
    page.click("#compare-form button[type=submit]")
    page.wait_for_url("**indicator=dang_vien*")
    rows = page.locator("#compare-table tbody tr")
    n = rows.count()
    assert n >= 3
    provinces = [rows.nth(i).locator("th").inner_text() for i in range(n)]
    page.screenshot(path=str(SHOTS / "compare_table.png"), full_page=True)
    page.click("#view-chart")
    page.wait_for_url("**view=chart*")
    assert page.locator("svg.chart g.bar").count() == n
    page.screenshot(path=str(SHOTS / "compare_chart.png"), full_page=True)
    page.click("#view-map")
    page.wait_for_url("**view=map*")
    marks = page.locator("svg.map g.mark")
    assert marks.count() == n
    assert sorted(marks.nth(i).get_attribute("data-label") for i in range(n)) == sorted(provinces)
    page.screenshot(path=str(SHOTS / "compare_map.png"), full_page=True)
    with page.expect_download() as dl:
        page.click("#dl-csv")
    text = Path(dl.value.path()).read_text(encoding="utf-8")
    data = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["province"] for r in data) == sorted(provinces)
    assert all(float(r["value"]) > 0 for r in data)


def test_follow_result_with_keyboard(page, base_url):
    page.goto(f"{base_url}/search?q={QUERY}")
    first = page.locator("ol.hits a.title").first
    href = first.get_attribute("href")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('title')"):
            break
    else:
        pytest.fail("no result title reached with Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == href
    page.keyboard.press("Enter")
    page.wait_for_url("**/article/**")
    assert page.locator("#text").is_visible()
    page.screenshot(path=str(SHOTS / "keyboard_article.png"))


def test_controls_labelled(page, base_url):
    """Every form control of the main pages has a label (a basic accessibility rule)."""
    for path in ("/search?q=chi+bo", "/compare?indicator=dang_vien", "/practices", "/"):
        page.goto(base_url + path)
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name)""")
        assert unlabelled == [], (path, unlabelled)
