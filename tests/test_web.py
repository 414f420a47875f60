"""The web interface (`xdd serve`) without a browser: every route answers HTML, JSON and CSV
from the library functions behind the CLI, bad parameters are 400 pages in plain words, pages
show a load's new state without a restart."""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from pipelines import compare as cmp, db  # noqa: E402
from pipelines.documents import citations  # noqa: E402
from pipelines.practices import practice_records  # noqa: E402
from pipelines.series import Series  # noqa: E402
from pipelines.web import fmt  # noqa: E402
from pipelines.web.app import create_app, source_href  # noqa: E402

from tests import kb_helpers  # noqa: E402


@pytest.fixture(scope="module")
def client(demo_kb):
    db_path = demo_kb[0]
    with TestClient(create_app(db_path), raise_server_exceptions=True) as c:
        yield c


def test_vietnamese_formats():
    assert fmt.number(481406) == "481.406"
    assert fmt.number(0.7) == "0,7"
    assert fmt.number(12.5) == "12,5"
    assert fmt.date("2023-05-18 09:30:00+07") == "18/05/2023"
    assert fmt.datetime("2023-05-18 09:30:00+07") == "18/05/2023 09:30"


def test_landing_counts(client, demo_kb):
    _, result, _ = demo_kb
    r = client.get("/")
    assert r.status_code == 200 and 'lang="vi"' in r.text
    data = client.get("/?format=json").json()
    assert data["counts"]["articles"] == result.totals["articles"]
    assert data["counts"]["provinces"] == result.totals["provinces"]
    for link in data["examples"]["search"] + data["examples"]["compare"]:
        assert client.get(link).status_code == 200


def test_search_results_and_facets(client):
    data = client.get("/search", params={"q": "sinh hoạt chi bộ", "format": "json"}).json()
    assert data["total"] > 10 and len(data["results"]) == 10
    plain = client.get("/search", params={"q": "sinh hoat chi bo", "format": "json"}).json()
    assert plain["total"] == data["total"]                       # accents optional
    facets = data["facets"]
    assert {"province", "category", "document", "source", "year", "kind"} <= set(facets)
    bac_ninh = next(g for g in facets["province"] if g["value"] == "Bắc Ninh")
    assert {c["value"] for c in bac_ninh["children"]} >= {"Bắc Giang"}     # old names under the new province
    assert bac_ninh["n"] == sum(c["n"] for c in bac_ninh["children"])
    assert sum(r["n"] for r in facets["kind"]) == data["total"]
    # a facet's count is what its filter gives
    old = next(c for c in bac_ninh["children"] if c["value"] == "Bắc Giang")
    narrowed = client.get("/search", params={"q": "sinh hoạt chi bộ", "province": "Bắc Giang", "format": "json"}).json()
    assert narrowed["total"] == old["n"]
    merged = client.get("/search", params={"q": "sinh hoạt chi bộ", "province": "Bắc Ninh", "merged": "1",
                                           "format": "json"}).json()
    assert merged["total"] == bac_ninh["n"]
    year = facets["year"][0]
    by_year = client.get("/search", params={"q": "sinh hoạt chi bộ", "since": f"{year['value']}-01-01",
                                            "until": f"{year['value']}-12-31", "format": "json"}).json()
    assert by_year["total"] == year["n"]
    practice = next(r for r in data["results"] + plain["results"] if r["kind"] == "practice")
    assert practice["article"].startswith("/article/") and practice["sentence"]


def test_search_html_highlights_and_pages(client):
    r = client.get("/search", params={"q": "kết nạp"})
    assert r.status_code == 200
    assert "<mark>" in r.text and "kết quả" in r.text
    page2 = client.get("/search", params={"q": "kết nạp", "page": 2, "format": "json"}).json()
    page1 = client.get("/search", params={"q": "kết nạp", "format": "json"}).json()
    assert not {x["kind"] + x["doc_id"] + str(x["start"]) for x in page1["results"]} & {x["kind"] + x["doc_id"] + str(x["start"]) for x in page2["results"]}
    rows = list(csv.DictReader(io.StringIO(client.get("/search", params={"q": "kết nạp", "format": "csv"}).text)))
    assert len(rows) == len(page1["results"]) and rows[0]["title"] == page1["results"][0]["title"]


@pytest.mark.parametrize("url", [
    "/search?q=x&since=abc", "/search?q=x&page=0", "/search?q=x&page=abc", "/search?q=x&kind=video",
    "/search?q=x&province=Atlantis", "/search?q=x&category=nope", "/search?q=x&format=xml",
    "/search?q=x&since=2024-01-01&until=2023-01-01", "/search?q=x&merged=1", "/compare?indicator=dang_vien&view=pie",
    "/compare?indicator=dang_vien&period=20x3", "/compare?indicator=dang_vien&measure=most",
    "/compare?indicator=xyzzy-unknown", "/practices?since=yesterday", "/practices?category=x",
    "/search?q=" + "a" * 600,
])
def test_bad_parameters_are_400_pages(client, url):
    r = client.get(url)
    assert r.status_code == 400, url
    assert "Tham số không hợp lệ" in r.text and "Traceback" not in r.text
    j = client.get(url + "&format=json") if "format=" not in url else None
    if j is not None:
        assert j.status_code == 400 and j.json()["message"]


def test_unknown_things_are_404(client):
    assert client.get("/article/no-such-doc").status_code == 404
    assert client.get("/document/99-XX/YY").status_code == 404
    assert client.get("/nowhere").status_code == 404


def test_hostile_values_are_bound(client, demo_kb):
    db_path = demo_kb[0]
    for q in ("'; DROP TABLE articles; --", '" OR 1=1 --', "%_\\"):
        assert client.get("/search", params={"q": q, "district": q}).status_code in (200, 400)
        assert client.get("/practices", params={"commune": q, "actor": q}).status_code in (200, 400)
        assert client.get("/compare", params={"indicator": q}).status_code in (200, 400)
    with db.connect(db_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] > 0


def _article_with_figures(db_path):
    with db.connect(db_path, read_only=True) as con:
        return con.execute("SELECT doc_id, count(*) FROM metrics GROUP BY doc_id ORDER BY 2 DESC, 1 LIMIT 1").fetchone()


def test_article_facts_highlighted(client, demo_kb):
    doc_id, n = _article_with_figures(demo_kb[0])
    r = client.get(f"/article/{doc_id}")
    assert r.status_code == 200
    figures = re.findall(r'<mark class="fact fig"', r.text)
    assert 1 <= len(figures) <= n
    assert "Chú giải" in r.text and "Ngày thu thập" in r.text
    data = client.get(f"/article/{doc_id}?format=json").json()
    assert len(data["facts"]["figures"]) == n and data["article"]["doc_id"] == doc_id
    for f in data["facts"]["figures"]:
        assert data["article"]["text"][f["start"]:f["end"]] == f["text"]


def test_compare_table_chart_map_and_downloads(client, demo_kb):
    with db.connect(demo_kb[0], read_only=True) as con:
        want = cmp.latest_table(con, "đảng viên", series=Series()).to_dicts()
    assert want
    data = client.get("/compare", params={"indicator": "dang_vien", "format": "json"}).json()
    assert [r["province"] for r in data["rows"]] == [r["province"] for r in want]
    assert [r["value"] for r in data["rows"]] == [r["value"] for r in want]
    assert any(i["key"] == "dang_vien" and i["n"] > 0 for i in data["indicators"])
    table = client.get("/compare", params={"indicator": "dang_vien"}).text
    assert table.count('<th scope="row">') == len(want)
    chart = client.get("/compare", params={"indicator": "dang_vien", "view": "chart"}).text
    assert chart.count('<g class="bar"') == len(want)
    values = [float(v) for v in re.findall(r'<g class="bar" data-label="[^"]*" data-value="([^"]+)"', chart)]
    assert values == sorted(values, reverse=True)
    mapped = client.get("/compare", params={"indicator": "dang_vien", "view": "map"}).text
    assert mapped.count('<g class="mark"') == len(want)
    rows = list(csv.DictReader(io.StringIO(client.get("/compare", params={"indicator": "dang_vien", "format": "csv"}).text)))
    assert len(rows) == len(want) and {"province", "province_2025", "value", "conflict", "sentence"} <= set(rows[0])
    svg = client.get("/compare", params={"indicator": "dang_vien", "view": "map", "format": "svg"})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    ET.fromstring(svg.content)                                  # well-formed
    ET.fromstring(client.get("/compare", params={"indicator": "dang_vien", "format": "svg"}).content)
    merged = client.get("/compare", params={"indicator": "dang_vien", "view": "map", "geo": "2025",
                                            "format": "json"}).json()
    assert len(merged["map"]) == len({r["province_2025"] or r["province"] for r in want})
    history = client.get("/compare", params={"indicator": "dang_vien", "history": "1", "view": "chart"})
    assert history.status_code == 200 and '<g class="line"' in history.text


def test_compare_timeline_lists_each_year_with_its_provinces(client):
    data = client.get("/compare", params={"indicator": "dang_vien", "format": "json"}).json()
    years = data["years"]
    assert years and [y["year"] for y in years] == sorted({y["year"] for y in years})
    for y in years:
        rows = client.get("/compare", params={"indicator": "dang_vien", "period": y["year"], "format": "json"}).json()["rows"]
        assert len(rows) == y["provinces"] and all(r["period"].startswith(y["year"]) for r in rows)
    page = client.get("/compare", params={"indicator": "dang_vien", "period": years[0]["year"]}).text
    assert f'id="year-{years[0]["year"]}"' in page and 'aria-current="true">' + years[0]["year"] in page
    assert 'id="year-latest"' in page and "period=" + years[-1]["year"] in page


def test_document_page(client, demo_kb):
    info, rows = citations(demo_kb[0], "05-CT/TW")
    r = client.get("/document/05-CT/TW")
    assert r.status_code == 200 and "05-CT/TW" in r.text and '<g class="bar"' in r.text
    data = client.get("/document/05-ct/tw?format=json").json()
    assert len(data["citations"]) == len(rows)
    assert sum(data["by_year"].values()) == len([x for x in rows if x["year"] is not None])
    assert len(list(csv.DictReader(io.StringIO(client.get("/document/05-CT/TW?format=csv").text)))) == len(rows)
    assert client.get("/document").status_code == 200


def test_practices_page(client, demo_kb):
    with db.connect(demo_kb[0], read_only=True) as con:
        want = practice_records(con, limit=2000)
    data = client.get("/practices?format=json").json()
    assert data["total"] == len(want)
    r = client.get("/practices", params={"province": "Bắc Ninh", "merged": "1"})
    assert r.status_code == 200 and '<g class="mark"' in r.text
    rows = list(csv.DictReader(io.StringIO(client.get("/practices?format=csv").text)))
    assert len(rows) == len(want) and "actor" in rows[0]


def test_demo_source_links_are_served(client, demo_kb):
    with db.connect(demo_kb[0], read_only=True) as con:
        url = con.execute("SELECT url FROM articles LIMIT 1").fetchone()[0]
    href = source_href(url)
    assert href.startswith("/demo-site/")
    assert client.get(href).status_code == 200
    assert source_href("https://nhandan.vn/a-1.html") == "https://nhandan.vn/a-1.html"


def test_new_state_without_restart(tmp_path):
    """A load between two requests: the second page shows it (the server holds no connection
    between requests, so the load can write)."""
    from pipelines.run import load_records

    path = tmp_path / "kb.duckdb"
    pairs = kb_helpers.pairs()
    load_records(path, pairs[:1])
    with TestClient(create_app(path, linger=0)) as c:
        before = c.get("/?format=json").json()["counts"]["articles"]
        load_records(path, pairs)
        after = c.get("/?format=json").json()["counts"]["articles"]
    assert after > before


def test_missing_knowledge_base_is_503(tmp_path):
    with TestClient(create_app(tmp_path / "none.duckdb")) as c:
        r = c.get("/")
    assert r.status_code == 503 and "xdd demo" in r.text
