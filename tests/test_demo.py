"""`xdd demo` end to end: counts match the demo site's expected-facts file; a rerun adds nothing."""
from __future__ import annotations

import json
import subprocess
import sys


from pipelines import db
from pipelines.demo import DEMO_SITE, EXAMPLE_INDICATOR, example_figures, run_demo

EXPECTED = json.loads((DEMO_SITE / "expected_facts.json").read_text(encoding="utf-8"))
TOTALS = EXPECTED["totals"]


def _scalar(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()[0]


def test_articles_and_skips_match_expected(demo_kb):
    db_path, result, _ = demo_kb
    assert result.totals["articles"] == TOTALS["kept"]
    assert result.totals["copies"] == TOTALS["near_duplicate"]
    assert result.skips == TOTALS["skipped"]
    assert result.load["new"] == TOTALS["kept"] + TOTALS["near_duplicate"]


def test_documents_match_expected(demo_kb):
    db_path, _, _ = demo_kb
    with db.connect(db_path, read_only=True) as con:
        keys = {r[0] for r in con.execute("SELECT DISTINCT d.key FROM directives d JOIN articles a USING (doc_id) "
                                          "WHERE a.duplicate_of IS NULL AND d.key IS NOT NULL").fetchall()}
    assert keys == set(TOTALS["documents"])


def test_provinces_match_expected(demo_kb):
    db_path, result, _ = demo_kb
    with db.connect(db_path, read_only=True) as con:
        provinces = {r[0] for r in con.execute("SELECT DISTINCT province FROM articles WHERE duplicate_of IS NULL "
                                               "AND province IS NOT NULL").fetchall()}
    assert provinces == set(TOTALS["provinces"])
    assert result.totals["provinces"] == len(TOTALS["provinces"]) >= 15


def _expected_by_url(kind: str) -> dict[str, list[dict]]:
    return {a["url"]: a[kind] for a in EXPECTED["articles"] if a["status"] == "kept"}


def test_figures_match_expected(demo_kb):
    db_path, result, _ = demo_kb
    with db.connect(db_path, read_only=True) as con:
        rows = con.execute("SELECT a.url, m.value, m.unit FROM metrics m JOIN articles a USING (doc_id) "
                           "WHERE a.duplicate_of IS NULL").fetchall()
    got = {}
    for url, value, unit in rows:
        got.setdefault(url.split("/", 3)[-1], []).append((round(value, 6), unit))
    expected = {u.lstrip("/"): [(round(m["value"], 6), m["unit"]) for m in ms] for u, ms in _expected_by_url("metrics").items()}
    found = sum(1 for u, ms in expected.items() for m in ms if m in got.get(u, []))
    total = sum(len(ms) for ms in expected.values())
    assert total == TOTALS["metrics"]
    assert found / total >= 0.9, f"{found}/{total} expected figures found"
    assert abs(result.totals["figures"] - total) <= 0.1 * total


def test_practices_match_expected(demo_kb):
    db_path, result, _ = demo_kb
    with db.connect(db_path, read_only=True) as con:
        rows = con.execute("SELECT a.url, p.text, p.category FROM practices p JOIN articles a USING (doc_id) "
                           "WHERE a.duplicate_of IS NULL").fetchall()
    got = {}
    for url, text, category in rows:
        got.setdefault("/" + url.split("/", 3)[-1], []).append((text, category))
    expected = [(u, p) for u, ps in _expected_by_url("practices").items() for p in ps]
    found = [(u, p) for u, p in expected if any(p["text"] in t or t in p["text"] for t, _ in got.get(u, []))]
    right = [1 for u, p in found if any((p["text"] in t or t in p["text"]) and c == p["category"] for t, c in got[u])]
    assert len(expected) == TOTALS["practices"]
    assert len(found) / len(expected) >= 0.8, f"{len(found)}/{len(expected)} expected practices found"
    assert len(right) / len(found) >= 0.7, f"category right for {len(right)}/{len(found)}"
    assert result.totals["practices"] <= 1.5 * TOTALS["practices"], "too many passages taken for practices"


def _province_totals() -> dict[tuple[str, float], dict]:
    """The demo texts' stated province totals of the example's indicator, by (province, value)."""
    return {(r["province"], float(r["value"])): r for r in EXPECTED["province_totals"][EXAMPLE_INDICATOR]}


def test_party_members_example_lists_only_province_totals(demo_kb):
    """Every row of the demo's "party members per province" example is a province total the
    texts state: not a district's or a commune's members, not admissions, inspections or
    discipline."""
    db_path, _, _ = demo_kb
    with db.connect(db_path, read_only=True) as con:
        rows = example_figures(con)
    expected = _province_totals()
    wrong = [(r["province"], r["value"], r["sentence"]) for r in rows if (r["province"], float(r["value"])) not in expected]
    assert not wrong, f"rows that are not a province total: {wrong}"
    for r in rows:
        assert r["source"] and r["sentence"] and r["period"], r
        assert r["source"].endswith(expected[(r["province"], float(r["value"]))]["url"])


def test_party_members_example_finds_the_province_totals(demo_kb):
    db_path, _, _ = demo_kb
    with db.connect(db_path, read_only=True) as con:
        shown = {r["province"] for r in example_figures(con)}
    stated = {province for province, _ in _province_totals()}
    assert len(shown & stated) >= 0.7 * len(stated), f"found {sorted(shown & stated)} of {sorted(stated)}"


def test_second_run_adds_nothing(demo_kb):
    db_path, first, work = demo_kb
    second = run_demo(db_path, work=work)
    assert second.load["new"] == 0 and second.load["updated"] == 0
    assert second.counts_after == first.counts_after
    assert second.totals == first.totals


def test_knowledge_base_opens_read_only_elsewhere(demo_kb):
    db_path, result, _ = demo_kb
    code = ("import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print(c.execute('select count(*) from articles where duplicate_of is null').fetchone()[0])")
    out = subprocess.run([sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, check=True)
    assert int(out.stdout) == result.totals["articles"]


def test_search_is_tone_insensitive_on_demo(demo_kb):
    from pipelines.search import search

    db_path, _, _ = demo_kb
    with db.connect(db_path, read_only=True) as con:
        a = [(h.kind, h.doc_id, h.start) for h in search(con, "sinh hoạt chi bộ")]
        b = [(h.kind, h.doc_id, h.start) for h in search(con, "sinh hoat chi bo")]
    assert a and a == b


def test_demo_cli_prints_summary(demo_kb, tmp_path):
    db_path, _, _ = demo_kb
    proc = subprocess.run([sys.executable, "-m", "pipelines", "demo", "--db", str(db_path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "0 new articles" in proc.stdout and "table counts unchanged" in proc.stdout
    assert "Example 1" in proc.stdout and "Example 2" in proc.stdout
