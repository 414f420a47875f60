"""`xdd compare` compares like with like: a series is (indicator, measure, scope, unit).

A knowledge base is loaded with `xdd load --extractions` from hand-made articles and contract-v2
extractions holding, per province, figures of several measures and scopes; the rows of
`xdd compare` are then checked against what each province's texts state.
"""
from __future__ import annotations

import json

import duckdb
import pytest
from click.testing import CliRunner

from pipelines import db
from pipelines.cli import main
from pipelines.run import extraction_input
from tests.kb_helpers import span

# (doc_id, province, url, published, text, [(words, value, measure, scope, period, extra fields)])
ARTICLES = [
    ("dn1", "Đồng Nai", "http://example.vn/dong-nai-1.html", "2023-09-12T08:00:00+07:00",
     "Đảng bộ tỉnh Đồng Nai có 78.047 đảng viên. Năm 2023, toàn tỉnh kết nạp 2.270 đảng viên mới. "
     "Ủy ban kiểm tra các cấp thi hành kỷ luật 72 đảng viên. Đảng bộ thành phố Biên Hòa có 20.100 đảng viên. "
     "Đảng viên nữ chiếm 37%. Tỉnh phấn đấu năm 2025 có 80.000 đảng viên.",
     [("78.047 đảng viên", 78047, "total", "province", "2023-09", {}),
      ("2.270 đảng viên mới", 2270, "new", "province", "2023", {"indicator": "đảng viên kết nạp mới"}),
      ("72 đảng viên", 72, "disciplined", "province", "2023", {"indicator": "đảng viên bị thi hành kỷ luật"}),
      ("20.100 đảng viên", 20100, "total", "district", "2023-09", {"subject": "Đảng bộ thành phố Biên Hòa"}),
      ("37%", 37, "total", "province", "2023-09", {"unit": "percent", "indicator": "đảng viên nữ"}),
      ("80.000 đảng viên", 80000, "total", "province", "2025", {"qualifier": "target"})]),
    ("ld1", "Lâm Đồng", "http://example.vn/da-lat.html", "2023-05-30T16:35:00+07:00",
     "Đảng bộ thành phố Đà Lạt có 8.264 đảng viên; năm 2023 kết nạp 215 đảng viên mới.",
     [("8.264 đảng viên", 8264, "total", "district", "2023-05", {"subject": "Đảng bộ thành phố Đà Lạt"}),
      ("215 đảng viên mới", 215, "new", "district", "2023", {"subject": "Đảng bộ thành phố Đà Lạt"})]),
    # no publication date: its figures are dated by the text and still show value and link
    ("qb1", "Quảng Bình", "http://example.vn/quang-binh.html", None,
     "Tính đến tháng 6-2023, Đảng bộ tỉnh Quảng Bình có 74.108 đảng viên. Năm 2022 kết nạp 580 đảng viên, "
     "năm 2023 kết nạp 603 đảng viên mới. Cả nhiệm kỳ 2020-2025 kết nạp 2.900 đảng viên.",
     [("74.108 đảng viên", 74108, "total", "province", "2023-06", {}),
      ("580 đảng viên", 580, "new", "province", "2022", {"indicator": "kết nạp đảng viên"}),
      ("603 đảng viên mới", 603, "new", "province", "2023", {"indicator": "đảng viên mới"}),
      ("2.900 đảng viên", 2900, "new", "province", "2020/2025", {})]),
    # no URL: nothing of it can be linked, so nothing of it shows
    ("nt1", "Ninh Thuận", None, "2022-06-30T09:00:00+07:00",
     "Đảng bộ tỉnh Ninh Thuận có 20.952 đảng viên.",
     [("20.952 đảng viên", 20952, "total", "province", "2022-06", {})]),
    # no value (the extractor could not read the number)
    ("ht1", "Hà Tĩnh", "http://example.vn/ha-tinh.html", "2017-03-01T07:00:00+07:00",
     "Đảng bộ tỉnh Hà Tĩnh có hàng chục nghìn đảng viên.",
     [("hàng chục nghìn đảng viên", None, "total", "province", "2017-03", {})]),
    # two articles, one period, two values: a conflict
    ("vp1", "Vĩnh Phúc", "http://example.vn/vinh-phuc-1.html", "2023-02-04T07:00:00+07:00",
     "Đảng bộ tỉnh Vĩnh Phúc có 57.000 đảng viên.",
     [("57.000 đảng viên", 57000, "total", "province", "2023", {})]),
    ("vp2", "Vĩnh Phúc", "http://example.vn/vinh-phuc-2.html", "2023-03-04T07:00:00+07:00",
     "Toàn Đảng bộ tỉnh Vĩnh Phúc có 57.500 đảng viên.",
     [("57.500 đảng viên", 57500, "total", "province", "2023", {})]),
    # scope unknown (null): not in the province series
    ("sl1", "Sơn La", "http://example.vn/son-la.html", "2020-10-01T07:00:00+07:00",
     "Đảng bộ có 61.000 đảng viên.",
     [("61.000 đảng viên", 61000, "total", None, "2020-10", {})]),
]

PROVINCE_TOTALS = {"Đồng Nai": 78047, "Quảng Bình": 74108, "Vĩnh Phúc": {57000, 57500}}


def _records():
    articles, extractions = [], []
    for doc_id, province, url, published, text, figures in ARTICLES:
        articles.append({"doc_id": doc_id, "source": "test", "url": url, "title": f"Tin {province}",
                         "published": published, "text": text})
        metrics = []
        for words, value, measure, scope, period, extra in figures:
            fields = {"value": value, "unit": "count", "qualifier": "exact", "indicator": "đảng viên",
                      "subject": f"Đảng bộ tỉnh {province}", "locality": province, "period": period,
                      "period_source": "text", "scope": scope, "measure": measure, **extra}
            metrics.append(span(text, words, **fields))
        extractions.append({"doc_id": doc_id, "province": province, "entities": [], "directives": [],
                            "metrics": metrics, "practices": []})
    return articles, extractions


def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("compare")
    articles, extractions = _records()
    a, e = _write_jsonl(tmp / "articles.jsonl", articles), _write_jsonl(tmp / "extractions.jsonl", extractions)
    result = CliRunner().invoke(main, ["load", str(a), "--extractions", str(e), "--workers", "1", "--db", str(tmp / "kb.duckdb")])
    assert result.exit_code == 0, result.output
    return tmp / "kb.duckdb"


def compare(kb, *args, indicator: str = "đảng viên") -> list[dict]:
    result = CliRunner().invoke(main, ["compare", indicator, *args, "--format", "json", "--db", str(kb)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _shown(rows):
    return {r["province"]: r["value"] for r in rows}


def test_default_is_the_latest_province_total_of_each_province(kb):
    rows = compare(kb)
    assert {r["province"] for r in rows} == set(PROVINCE_TOTALS)
    for r in rows:
        want = PROVINCE_TOTALS[r["province"]]
        assert r["value"] in (want if isinstance(want, set) else {want}), r
        assert (r["measure"], r["scope"], r["unit"]) == ("total", "province", "count")
        assert r["qualifier"] != "target"             # Đồng Nai's 2025 target is not its latest total
    assert _shown(rows)["Đồng Nai"] == 78047


def test_every_row_shows_value_period_words_and_link(kb):
    for args in ([], ["--measure", "new"], ["--scope", "all", "--measure", "all", "--unit", "all"]):
        for r in compare(kb, *args):
            assert r["value"] is not None and r["period"] and r["qualifier"], r
            assert r["source"] and r["source"].startswith("http://example.vn/"), r
            assert r["text"] in r["sentence"], r


def test_an_article_without_a_date_still_shows_value_and_link(kb):
    qb = [r for r in compare(kb) if r["province"] == "Quảng Bình"]
    assert qb and qb[0]["value"] == 74108 and qb[0]["source"] == "http://example.vn/quang-binh.html"
    assert qb[0]["period"] == "2023-06" and "74.108 đảng viên" in qb[0]["sentence"]


def test_figures_without_value_or_link_never_appear(kb):
    for args in ([], ["--scope", "all", "--measure", "all", "--unit", "all"], ["--history", "--scope", "all"]):
        provinces = {r["province"] for r in compare(kb, *args)}
        assert not provinces & {"Ninh Thuận", "Hà Tĩnh"}, args


def test_conflicting_values_are_flagged(kb):
    vp = [r for r in compare(kb) if r["province"] == "Vĩnh Phúc"]
    assert len(vp) == 1 and vp[0]["conflict"] and vp[0]["n_values"] == 2
    assert vp[0]["value"] == 57500                     # the most recently published
    history = [r for r in compare(kb, "--history") if r["province"] == "Vĩnh Phúc"]
    assert len(history) == 2 and all(r["conflict"] for r in history)
    assert not any(r["conflict"] for r in compare(kb) if r["province"] != "Vĩnh Phúc")


def test_a_province_with_only_district_figures_is_absent(kb):
    assert "Lâm Đồng" not in _shown(compare(kb))
    assert "Lâm Đồng" not in _shown(compare(kb, "--measure", "new"))
    districts = compare(kb, "--scope", "district")
    assert _shown(districts) == {"Lâm Đồng": 8264, "Đồng Nai": 20100}


def test_a_figure_of_unknown_scope_is_only_in_the_any_scope_series(kb):
    assert "Sơn La" not in _shown(compare(kb))
    assert _shown(compare(kb, "--scope", "all"))["Sơn La"] == 61000


def test_admissions_of_one_year(kb):
    rows = compare(kb, "--measure", "new", "--period", "2023")
    assert _shown(rows) == {"Đồng Nai": 2270, "Quảng Bình": 603}
    assert all(r["measure"] == "new" and r["period"].startswith("2023") for r in rows)
    assert _shown(compare(kb, "--measure", "new", "--period", "2022")) == {"Quảng Bình": 580}
    latest = _shown(compare(kb, "--measure", "new"))
    assert latest == {"Đồng Nai": 2270, "Quảng Bình": 603}   # not the 2020/2025 term's 2,900
    history = compare(kb, "--measure", "new", "--history", "--period", "2023")
    assert sorted(r["value"] for r in history) == [603, 2270]


def test_other_measures_and_units_are_their_own_series(kb):
    assert _shown(compare(kb, "--measure", "disciplined")) == {"Đồng Nai": 72}
    assert compare(kb, "--unit", "percent") == []
    assert _shown(compare(kb, "--unit", "percent", indicator="đảng viên nữ")) == {"Đồng Nai": 37}
    assert _shown(compare(kb, "--targets", "--period", "2025")) == {"Đồng Nai": 80000}
    assert "Đồng Nai" not in _shown(compare(kb, "--period", "2025"))


def test_legacy_scope_all_and_per_still_work(kb):
    rows = compare(kb, "--scope", "all")
    assert {"Đồng Nai", "Quảng Bình", "Vĩnh Phúc", "Sơn La"} <= set(_shown(rows))
    result = CliRunner().invoke(main, ["compare", "đảng viên", "--per", "đảng viên", "--format", "csv", "--db", str(kb)])
    assert result.exit_code == 0 and result.output.startswith("province,period,value,value_den,ratio")


def test_table_output_shows_the_sentence_and_link(kb):
    result = CliRunner().invoke(main, ["compare", "đảng viên", "--measure", "new", "--period", "2023", "--db", str(kb)])
    assert result.exit_code == 0
    header = result.output.split("┡")[0]
    assert "sentence" in header and "source" in header and "measure new, scope province" in header
    assert "2270.0" in result.output and "Lâm Đồng" not in result.output


@pytest.mark.parametrize("args, message", [
    (["--period", "2023-05"], "error: not a year (YYYY): '2023-05'"),
    (["--measure", "bogus"], "Invalid value for '--measure'"),
])
def test_bad_options_are_one_line_errors(kb, args, message):
    result = CliRunner().invoke(main, ["compare", "đảng viên", *args, "--db", str(kb)])
    assert result.exit_code != 0 and message in result.output


def test_extraction_input_carries_the_crawlers_context():
    art = {"doc_id": "x", "text": "Chi bộ có 12 đảng viên.", "url": "https://baodongnai.com.vn/a.html",
           "source": "baodongnai", "title": "Chi bộ ấp 3", "lead": "Sapo", "published": "2024-01-02T07:00:00+07:00",
           "author": "A"}
    assert extraction_input(art) == {k: v for k, v in art.items() if k != "author"}
    assert extraction_input({"doc_id": "y", "text": "t"})["url"] is None


def test_old_layout_is_migrated_and_asks_for_an_index(tmp_path, kb):
    """A knowledge base from before 010: metrics without scope/measure, a figure index of the old
    layout. Read-only, compare asks for `xdd index`; a write connection migrates it (twice is
    once), and after `xdd index` compare works."""
    path = tmp_path / "old.duckdb"
    path.write_bytes(kb.read_bytes())
    con = duckdb.connect(str(path))
    for column in ("scope", "measure", "base_key"):
        con.execute(f"ALTER TABLE metrics DROP COLUMN {column}")
    for table in ("metric_facts", "metric_periods"):
        con.execute(f"ALTER TABLE {table} DROP COLUMN scope")
        con.execute(f"ALTER TABLE {table} DROP COLUMN measure")
    con.execute("DELETE FROM schema_migrations WHERE name >= '010'")
    con.close()
    result = CliRunner().invoke(main, ["compare", "đảng viên", "--db", str(path)])
    assert result.exit_code == 1 and "error: the figure index is of an older layout: run `xdd index`" in result.output
    with db.connect(path) as con:
        assert "010_metric_scope_measure.sql" in {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
        assert {"scope", "measure", "base_key"} <= {r[0] for r in con.execute("DESCRIBE metrics").fetchall()}
        assert not db.has_tables(con, "metric_facts")
        assert db.apply_migrations(con) == []
    assert CliRunner().invoke(main, ["index", "--db", str(path)]).exit_code == 0
    assert compare(path, "--scope", "all", "--measure", "all") != []   # old figures: any measure, any scope
    assert compare(path) == []                                          # none is known to be a province total


def test_inline_load_gives_the_extractor_the_articles_context(tmp_path):
    """`xdd load` without --extractions extracts with each article's URL, title, lead and date:
    "toàn tỉnh" is the outlet's province (from the URL) or the one the title names."""
    text = "Toàn tỉnh hiện có {} đảng viên, sinh hoạt ở 2.100 chi bộ."
    articles = [{"doc_id": "u1", "source": "baodongnai", "url": "https://baodongnai.com.vn/chinh-tri/a-1.html",
                 "title": "Nâng chất lượng sinh hoạt chi bộ", "published": "2023-09-12T08:00:00+07:00",
                 "text": text.format("78.047")},
                {"doc_id": "u2", "source": "nhandan", "url": "https://nhandan.vn/xay-dung-dang/a-2.html",
                 "title": "Lâm Đồng nâng chất lượng sinh hoạt chi bộ", "lead": "", "published": "2020-10-05T08:00:00+07:00",
                 "text": text.format("46.324")}]
    path = tmp_path / "kb.duckdb"
    result = CliRunner().invoke(main, ["load", str(_write_jsonl(tmp_path / "a.jsonl", articles)), "--workers", "1",
                                       "--db", str(path)])
    assert result.exit_code == 0, result.output
    rows = {r["province"]: r for r in compare(path)}
    assert rows["Đồng Nai"]["value"] == 78047 and rows["Lâm Đồng"]["value"] == 46324
    assert rows["Đồng Nai"]["period"].startswith("2023-09")
