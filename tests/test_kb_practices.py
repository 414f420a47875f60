"""`xdd practices`: practice records (actor, place, documents, outcome, time) in the knowledge base.

Hand-made articles and contract extractions with practice records are loaded with
`xdd load --extractions` into a real DuckDB file; the command's rows are checked against what
the texts say. One small article is extracted inline (`xdd load` without extractions): its
record carries the actor, place and documents the extractor found.
"""
from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest
from click.testing import CliRunner

from pipelines import db
from pipelines.cli import main
from pipelines.practices import FIELDS
from tests.kb_helpers import span

PM = ("Thực hiện Chỉ thị 05-CT/TW, Đảng ủy xã Phong Minh, huyện Lục Ngạn giao mỗi đảng viên phụ trách "
      "10 hộ dân, hằng tháng nắm tình hình.")
PM_COPY = PM.replace("hằng tháng", "mỗi tháng")      # the copy's editor changed two words
VC = ("Đảng ủy phường Võ Cường, thành phố Bắc Ninh lập sổ theo dõi quần chúng ưu tú, mỗi chi bộ "
      "cử một đảng viên kèm cặp; năm 2024 kết nạp 25 đảng viên.")
HN = "Chi bộ thôn Đông xây dựng nghị quyết chuyên đề hằng quý về giữ gìn vệ sinh môi trường."

# (doc_id, source, url, published, province, duplicate_of, text before, passage, text after)
ARTICLES = [
    ("bg1", "baobacgiang", "https://baobacgiang.vn/phong-minh.html", "2023-04-02T08:00:00+07:00", "Bắc Giang", None,
     "Lục Ngạn đổi mới công tác dân vận.\n", PM, " Nhờ đó, 100% hộ dân được nắm bắt."),
    # a near-duplicate copy by another outlet (the crawler set duplicate_of)
    ("dcs1", "dangcongsan", "https://dangcongsan.vn/phong-minh.html", "2023-04-03T09:00:00+07:00", "Bắc Giang", "bg1",
     "Bắc Giang: Lục Ngạn đổi mới công tác dân vận.\n", PM_COPY, " Nhờ đó, 100% hộ dân được nắm bắt."),
    # the same passage word for word in a third outlet, not flagged as a copy
    ("xd1", "xaydungdang", "https://xaydungdang.org.vn/phong-minh.html", "2023-04-05T09:00:00+07:00", "Bắc Giang", None,
     "Kinh nghiệm từ cơ sở.\n", PM, ""),
    ("bn1", "baobacninh", "https://baobacninh.vn/vo-cuong.html", "2024-05-10T08:00:00+07:00", "Bắc Ninh", None,
     "", VC, ""),
    ("hn1", "hanoimoi", "https://hanoimoi.vn/thon-dong.html", "2022-01-10T08:00:00+07:00", "Hà Nội", None,
     "", HN, ""),
]


def _record(doc_id, text, passage, province):
    """The article's entities, directives, metrics and its one practice record (offsets computed)."""
    start = text.index(passage)
    ents, dirs, metrics = [], [], []
    practice = {"text": passage, "start": start, "end": start + len(passage), "score": 0.9}
    if passage in (PM, PM_COPY):
        actor = span(text, "Đảng ủy xã Phong Minh", label="ORG", norm="Đảng ủy xã Phong Minh",
                     province="Bắc Giang", province_2025="Bắc Ninh")
        ents = [actor, span(text, "huyện Lục Ngạn", label="LOC", norm="huyện Lục Ngạn", level="district",
                            province="Bắc Giang", province_2025="Bắc Ninh")]
        dirs = [span(text, "Chỉ thị 05-CT/TW", kind="CT", number=5, issuer="TW", key="05-CT/TW", term="XII", date=None)]
        metrics = [span(text, "10 hộ dân", value=10, unit="count", qualifier="exact", indicator="hộ dân",
                        subject="Đảng ủy xã Phong Minh", locality="Bắc Giang", period="2023", scope="commune",
                        measure="total")]
        if "100%" in text:
            metrics.append(span(text, "100%", value=100, unit="percent", qualifier="exact", indicator="hộ dân",
                                subject="Đảng ủy xã Phong Minh", locality="Bắc Giang", period="2023",
                                scope="commune", measure="total"))
        practice.update(category="cai_cach_hanh_chinh_dan_van",
                        actor={k: actor[k] for k in ("text", "start", "end", "norm")},
                        place={"name": "xã Phong Minh", "level": "commune", "province": "Bắc Giang",
                               "province_2025": "Bắc Ninh"},
                        documents=["05-CT/TW"],
                        outcome=[{k: m[k] for k in ("text", "start", "end", "value", "unit", "indicator")}
                                 for m in metrics], time="2023")
    elif passage == VC:
        actor = span(text, "Đảng ủy phường Võ Cường", label="ORG", norm="Đảng ủy phường Võ Cường",
                     province="Bắc Ninh", province_2025="Bắc Ninh")
        ents = [actor, span(text, "thành phố Bắc Ninh", label="LOC", norm="Thành phố Bắc Ninh", level="district",
                            province="Bắc Ninh", province_2025="Bắc Ninh")]
        metrics = [span(text, "25 đảng viên", value=25, unit="count", qualifier="exact", indicator="đảng viên",
                        subject="Đảng ủy phường Võ Cường", locality="Bắc Ninh", period="2024", scope="commune",
                        measure="new")]
        practice.update(category="phat_trien_dang_vien",
                        actor={k: actor[k] for k in ("text", "start", "end", "norm")},
                        place={"name": "phường Võ Cường", "level": "commune", "province": "Bắc Ninh",
                               "province_2025": "Bắc Ninh"},
                        documents=["21-NQ/TW"], outcome=[{k: metrics[0][k] for k in
                                                          ("text", "start", "end", "value", "unit", "indicator")}],
                        time="2024")
    else:     # no record fields: a contract-v1 practice
        practice.update(category="sinh_hoat_chi_bo")
    return {"doc_id": doc_id, "province": province, "entities": ents, "directives": dirs, "metrics": metrics,
            "practices": [practice]}


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("practices")
    arts, exts = [], []
    for doc_id, source, url, published, province, dup, before, passage, after in ARTICLES:
        text = before + passage + after
        arts.append({"doc_id": doc_id, "source": source, "url": url, "title": before.strip() or passage[:40],
                     "published": published, "text": text, "duplicate_of": dup})
        exts.append(_record(doc_id, text, passage, province))
    a, e = tmp / "articles.jsonl", tmp / "extractions.jsonl"
    a.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in arts), encoding="utf-8")
    e.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in exts), encoding="utf-8")
    path = tmp / "kb.duckdb"
    res = CliRunner().invoke(main, ["load", str(a), "--extractions", str(e), "--db", str(path)])
    assert res.exit_code == 0, res.output
    return path


def run(path, *args):
    res = CliRunner().invoke(main, ["practices", "--db", str(path), "--format", "json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def ids(rows):
    return sorted(r["doc_id"] for r in rows)


def test_records_carry_actor_place_documents_outcome_time(kb):
    rows = run(kb, "--commune", "Phong Minh")
    assert len(rows) == 1
    r = rows[0]
    assert set(r) == set(FIELDS)
    assert (r["doc_id"], r["category"], r["time"]) == ("bg1", "cai_cach_hanh_chinh_dan_van", "2023")
    assert (r["actor"], r["actor_norm"]) == ("Đảng ủy xã Phong Minh",) * 2
    assert (r["place_name"], r["place_level"], r["commune"], r["district"], r["province"], r["province_2025"]) == \
        ("xã Phong Minh", "commune", "xã Phong Minh", "huyện Lục Ngạn", "Bắc Giang", "Bắc Ninh")
    assert r["documents"] == ["05-CT/TW"]
    assert r["text"] == PM and r["url"] == "https://baobacgiang.vn/phong-minh.html" and r["source"] == "baobacgiang"
    # the outcome figures are the article's metrics rows, found by their offsets
    assert [(o["text"], o["value"], o["unit"], o["indicator"]) for o in r["outcome"]] == \
        [("10 hộ dân", 10, "count", "hộ dân"), ("100%", 100, "percent", "hộ dân")]
    with duckdb.connect(str(kb), read_only=True) as con:
        text = con.execute("SELECT text FROM articles WHERE doc_id = 'bg1'").fetchone()[0]
        actor = con.execute("SELECT actor_start, actor_end FROM practices WHERE doc_id = 'bg1'").fetchone()
        n_metrics = con.execute("SELECT count(*) FROM metrics WHERE doc_id = 'bg1'").fetchone()[0]
    assert text[r["start"]:r["end"]] == PM and text[actor[0]:actor[1]] == "Đảng ủy xã Phong Minh"
    assert all(text[o["start"]:o["end"]] == o["text"] for o in r["outcome"]) and n_metrics == 2


def test_syndicated_practice_appears_once_with_every_source(kb):
    rows = run(kb, "--document", "05-CT/TW")
    assert len(rows) == 1
    assert rows[0]["doc_id"] == "bg1"            # the original's record, not the copy's
    assert [(s["source"], s["url"]) for s in rows[0]["sources"]] == [
        ("baobacgiang", "https://baobacgiang.vn/phong-minh.html"),
        ("dangcongsan", "https://dangcongsan.vn/phong-minh.html"),
        ("xaydungdang", "https://xaydungdang.org.vn/phong-minh.html")]
    assert len(run(kb)) == 3                     # Phong Minh, Võ Cường, thôn Đông


def test_province_as_reported_and_merged(kb):
    assert ids(run(kb, "--province", "Bắc Ninh")) == ["bn1"]
    assert ids(run(kb, "--province", "Bắc Giang")) == ["bg1"]
    assert ids(run(kb, "--province", "bac ninh", "--merged")) == ["bg1", "bn1"]
    assert ids(run(kb, "--province", "Hà Nội")) == ["hn1"]


def test_filters(kb):
    assert ids(run(kb, "--district", "Lục Ngạn")) == ["bg1"]
    assert ids(run(kb, "--district", "thanh pho bac ninh")) == ["bn1"]
    assert ids(run(kb, "--category", "phat_trien_dang_vien")) == ["bn1"]
    assert ids(run(kb, "--category", "Phát triển đảng viên")) == ["bn1"]
    assert ids(run(kb, "--document", "21-nq/tư")) == ["bn1"]
    assert ids(run(kb, "--document", "5-CT/TW")) == ["bg1"]
    assert run(kb, "--document", "99-CT/TW") == []
    assert ids(run(kb, "--since", "2024-01-01")) == ["bn1"]
    assert ids(run(kb, "--actor", "Võ Cường", "--province", "Bắc Ninh")) == ["bn1"]
    assert ids(run(kb, "--limit", "1")) == ["bn1"]           # the most recently reported first


def test_names_match_without_accents_case_or_tone_style(kb):
    for actor in ("dang uy xa phong minh", "ĐẢNG ỦY XÃ PHONG MINH", "Đảng uỷ xã Phong Minh", "phong  minh"):
        assert ids(run(kb, "--actor", actor)) == ["bg1"], actor
    assert ids(run(kb, "--commune", "vo cuong")) == ["bn1"]
    assert ids(run(kb, "--district", "LUC NGAN")) == ["bg1"]
    assert ids(run(kb, "--commune", "Phong")) == ["bg1"]                 # a word of the name
    assert run(kb, "--commune", "Phon") == []                 # whole words only


def test_like_wildcards_in_input_are_literal(kb):
    assert run(kb, "--actor", "dang_uy") == []                # `_` is not any character
    assert run(kb, "--district", "Lục%") == []                # `%` is not any text
    assert run(kb, "--commune", "%") == []
    assert run(kb, "--actor", "xa_phong minh") == []
    assert ids(run(kb, "--actor", "xa phong minh")) == ["bg1"]


def test_csv_and_table_output(kb):
    res = CliRunner().invoke(main, ["practices", "--db", str(kb), "--format", "csv", "--commune", "Phong Minh"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert list(rows[0]) == list(FIELDS) and len(rows) == 1
    r = rows[0]
    assert (r["actor"], r["commune"], r["district"], r["province"], r["documents"], r["time"]) == \
        ("Đảng ủy xã Phong Minh", "xã Phong Minh", "huyện Lục Ngạn", "Bắc Giang", "05-CT/TW", "2023")
    assert r["outcome"] == "10 hộ dân; 100%" and r["url"] == "https://baobacgiang.vn/phong-minh.html"
    assert r["sources"].split("; ")[1] == "https://dangcongsan.vn/phong-minh.html"
    empty = CliRunner().invoke(main, ["practices", "--db", str(kb), "--format", "csv", "--commune", "nowhere"])
    assert empty.exit_code == 0 and empty.output.strip() == ",".join(FIELDS)
    table = CliRunner().invoke(main, ["practices", "--db", str(kb), "--province", "Bắc Ninh"])
    assert table.exit_code == 0 and "1 practices" in table.output and "2024-05-10" in table.output


@pytest.mark.parametrize("args, message", [
    (["--province", "Atlantis"], "unknown province"),
    (["--category", "nothing"], "unknown category"),
    (["--since", "2024-13-01"], "not a date"),
    (["--actor", "..."], "nothing to match"),
])
def test_domain_errors_are_one_line(kb, args, message):
    res = CliRunner().invoke(main, ["practices", "--db", str(kb), *args])
    assert res.exit_code != 0
    out = (res.stderr if hasattr(res, "stderr") else res.output).strip()
    assert out.startswith("error: ") and message in out and "\n" not in out


def test_migration_adds_the_record_columns_to_an_existing_kb(tmp_path):
    """A knowledge base made before 012 keeps its practices (their records null); applying
    the migrations again changes nothing."""
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ DEFAULT now())")
    for name, sql in db.migrations():
        if name >= "012":
            break
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations (name) VALUES (?)", [name])
    con.execute("INSERT INTO articles (doc_id, source, url, published, text) VALUES "
                "('o1', 'old', 'http://old.vn/1', '2021-02-03', 'Chi bộ A họp hằng tháng.')")
    con.execute("INSERT INTO practices (doc_id, text, start, \"end\", category, province, province_2025) VALUES "
                "('o1', 'Chi bộ A họp hằng tháng.', 0, 24, 'sinh_hoat_chi_bo', 'Hà Nội', 'Hà Nội')")
    con.close()
    with db.connect(path) as con:
        assert "012_practice_records.sql" in {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
        con.execute("DELETE FROM schema_migrations WHERE name = '012_practice_records.sql'")
        assert db.apply_migrations(con) == ["012_practice_records.sql"]      # idempotent
    rows = run(path, "--province", "Hà Nội")
    assert [(r["doc_id"], r["actor"], r["documents"], r["outcome"], r["sources"][0]["url"]) for r in rows] == \
        [("o1", None, [], [], "http://old.vn/1")]


def test_inline_extraction_stores_the_extracted_record(tmp_path):
    """`xdd load` extracting a small article: its practice record is what the extractor gives."""
    from nlp import extract

    text = ("Thực hiện Chỉ thị 05-CT/TW, Đảng ủy xã Phong Minh giao mỗi đảng viên phụ trách 10 hộ dân, "
            "hằng tháng nắm tình hình. Nhờ đó, 100% hộ dân được nắm bắt.")
    art = {"doc_id": "pm1", "source": "baobacgiang", "url": "https://baobacgiang.vn/a", "title": "Phong Minh",
           "published": "2023-04-02T08:00:00+07:00", "text": text}
    a = tmp_path / "articles.jsonl"
    a.write_text(json.dumps(art, ensure_ascii=False) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["load", str(a), "--db", str(tmp_path / "kb.duckdb"), "--workers", "1"])
    assert res.exit_code == 0, res.output
    expected = extract(text, url=art["url"], published="2023-04-02")["practices"]
    rows = run(tmp_path / "kb.duckdb")
    assert expected and len(rows) == len(expected)
    for r, p in zip(rows, expected):
        assert (r["start"], r["end"], r["text"], r["category"]) == (p["start"], p["end"], p["text"], p["category"])
        assert r["actor"] == p["actor"]["text"] == "Đảng ủy xã Phong Minh"
        assert (r["place_name"], r["place_level"], r["province"], r["province_2025"]) == \
            (p["place"]["name"], p["place"]["level"], p["place"]["province"], p["place"]["province_2025"])
        assert r["documents"] == p["documents"] == ["05-CT/TW"]
        assert [(o["start"], o["end"], o["text"]) for o in r["outcome"]] == \
            [(o["start"], o["end"], o["text"]) for o in p["outcome"]]
        assert r["time"] == p["time"]
        assert text[r["start"]:r["end"]] == r["text"]
    assert ids(run(tmp_path / "kb.duckdb", "--commune", "phong minh", "--document", "05-ct/tw")) == ["pm1"]


def test_place_is_named_as_at_the_article_date():
    from pipelines.facts import practice_rows

    text = "Đảng ủy xã Phong Minh giao mỗi đảng viên phụ trách 10 hộ dân."
    record = {"text": text, "start": 0, "end": len(text), "category": "other",
              "actor": {"text": "Đảng ủy xã Phong Minh", "start": 0, "end": 21, "norm": "Đảng ủy xã Phong Minh"},
              "place": {"name": "xã Phong Minh", "level": "commune", "province": "Bắc Giang", "province_2025": "Bắc Ninh"},
              "documents": [], "outcome": [], "time": "2025"}
    ext = {"province": "Bắc Giang", "entities": [], "practices": [record]}
    after = practice_rows("d", ext, "2025-09-01T08:00:00+07:00", text)[0]
    before = practice_rows("d", ext, "2024-01-01T08:00:00+07:00", text)[0]
    assert (after["province"], after["province_2025"], after["commune"]) == ("Bắc Ninh", "Bắc Ninh", "xã Phong Minh")
    assert (before["province"], before["province_2025"]) == ("Bắc Giang", "Bắc Ninh")
    assert before["actor_key"] == "dang uy xa phong minh" and before["commune_key"] == "xa phong minh"


def test_records_by_id_for_search_hits(kb):
    """What `xdd search --kind practice` needs: the record of a hit's practice (`p:doc_id:start`
    without `p:`), with every source, whichever outlet's copy the hit is."""
    from pipelines.practices import practice_records_by_id

    bg1 = run(kb, "--commune", "Phong Minh")[0]
    copy = bg1["sources"][1]
    with db.connect(kb, read_only=True) as con:
        got = practice_records_by_id(con, [bg1["practice_id"], f"{copy['doc_id']}:{copy['start']}", "nowhere:0"])
    assert list(got) == [bg1["practice_id"], f"{copy['doc_id']}:{copy['start']}"]
    assert all(r == bg1 for r in got.values())
