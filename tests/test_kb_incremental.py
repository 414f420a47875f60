"""The figure index (metric_facts, metric_periods) is kept current by delta: after any sequence of
loads — articles added, updated with other figures, dates, links or a duplicate flag, removed —
`xdd compare` and the tables hold what a build from scratch (`xdd index`) gives on the same data.

Articles are generated at random from a few provinces, indicators, measures, scopes, units and
periods, with ties (same publication time, same value), missing dates, links and values, targets
and syndicated copies, so that many loads touch the same (series, province, period) groups.
"""
from __future__ import annotations

import json
import random
import shutil

import pytest
from click.testing import CliRunner

from pipelines import db, figure_index, load as loader, search_index
from pipelines.cli import main

PROVINCES = ["Đồng Nai", "Quảng Bình", "Vĩnh Phúc", "Sơn La", "Bắc Giang", "Nam Định"]
# (words after the number, indicator, measure)
KINDS = [("đảng viên", "đảng viên", "total"), ("đảng viên mới", "đảng viên kết nạp mới", "new"),
         ("chi bộ", "chi bộ", "total"), ("đảng viên bị kỷ luật", "đảng viên bị thi hành kỷ luật", "disciplined")]
PERIODS = ["2022", "2023", "2023-06", "2024", "2020/2025"]
DATES = [None, "2023-02-04T07:00:00+07:00", "2023-03-04T07:00:00+07:00", "2024-01-01T08:00:00+07:00"]
VALUES = [120, 350, 4000, 57000, 57500]

COMPARES = [[], ["--measure", "new"], ["--history"], ["--per", "chi bộ"], ["--measure", "all", "--scope", "all", "--unit", "all"],
            ["--history", "--measure", "all", "--scope", "all", "--targets"], ["--period", "2023"]]


def _figure(rng: random.Random) -> tuple[str, dict]:
    words, indicator, measure = rng.choice(KINDS)
    province = rng.choice(PROVINCES)
    value = rng.choice(VALUES + [None]) if rng.random() < 0.9 else None
    unit = "percent" if rng.random() < 0.1 else "count"
    number = f"{value:,}".replace(",", ".") if value is not None else "hàng nghìn"
    phrase = f"{number}{'%' if unit == 'percent' else ''} {words}"
    fields = {"value": value, "unit": unit, "qualifier": "target" if rng.random() < 0.1 else "exact",
              "indicator": indicator, "subject": f"Đảng bộ tỉnh {province}",
              "locality": province if rng.random() < 0.95 else None, "period": rng.choice(PERIODS),
              "period_source": "text", "scope": rng.choice(["province", "province", "district", None]),
              "measure": measure}
    return phrase, fields


def make_article(doc_id: str, rng: random.Random, version: int) -> tuple[dict, dict]:
    """An article and its extraction: a few sentences, each stating one figure."""
    sentences, metrics, text = [], [], ""
    for _ in range(rng.randint(0, 4)):
        phrase, fields = _figure(rng)
        sentence = f"Theo báo cáo lần {version}, toàn tỉnh có {phrase}."
        if text:
            text += " "
        start = len(text) + sentence.index(phrase)
        sentences.append([len(text), len(text) + len(sentence)])
        text += sentence
        metrics.append({"text": phrase, "start": start, "end": start + len(phrase), **fields})
    if not text:
        text = f"Bài viết số {version} không có số liệu."
    art = {"doc_id": doc_id, "source": rng.choice(["a", "b"]), "title": f"Tin {doc_id} v{version}",
           "url": None if rng.random() < 0.1 else f"http://example.vn/{doc_id}-{version}.html",
           "published": rng.choice(DATES), "text": text,
           "duplicate_of": "d0" if rng.random() < 0.1 and doc_id != "d0" else None}
    ext = {"doc_id": doc_id, "province": None, "entities": [], "directives": [], "metrics": metrics,
           "practices": [], "sentences": sentences}
    return art, ext


def _write(path, rows) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def load(tmp, kb, pairs, step: int) -> None:
    a, e = tmp / f"a{step}.jsonl", tmp / f"e{step}.jsonl"
    _write(a, [p[0] for p in pairs])
    _write(e, [p[1] for p in pairs])
    result = CliRunner().invoke(main, ["load", str(a), "--extractions", str(e), "--workers", "1", "--db", str(kb)])
    assert result.exit_code == 0, result.output


def remove(kb, doc_ids: list[str]) -> None:
    """What a removal would be (the loader has none): the articles' rows go from every table in
    one transaction, as the loader replaces an article, and the database gets a new token."""
    with db.connect(kb) as con:
        con.execute("BEGIN")
        loader._delete_docs(con, doc_ids)
        con.execute("UPDATE search_state SET token = ?", [search_index.new_token()])
        con.execute("COMMIT")


def snapshot(kb) -> dict:
    """What `xdd compare` answers and what the two tables hold (as sorted rows)."""
    out = {}
    for args in COMPARES:
        result = CliRunner().invoke(main, ["compare", "đảng viên", *args, "--format", "json", "--db", str(kb)])
        assert result.exit_code == 0, result.output
        out[" ".join(args)] = json.loads(result.output)
    with db.connect(kb, read_only=True) as con:
        for table in ("metric_facts", "metric_periods"):
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            rows = con.execute(f"SELECT * FROM {table}").fetchall()
            out[table] = (cols, sorted(rows, key=repr))
        out["metric_docs"] = sorted(con.execute("SELECT * FROM metric_docs").fetchall(), key=repr)
    return out


@pytest.fixture
def modes(monkeypatch):
    """What each load's update of the figure index did; deltas even when most articles changed."""
    seen = []
    real = figure_index.update

    def spy(con, fts=False):
        result = real(con, fts=fts)
        seen.append(result)
        return result

    monkeypatch.setattr(figure_index, "update", spy)
    monkeypatch.setattr(figure_index, "REBUILD_SHARE", 10.0)
    return seen


@pytest.mark.parametrize("seed, sort_share", [(1, 10.0), (2, 0.0), (3, 0.25)])
def test_random_load_sequences_equal_a_rebuild(tmp_path, modes, monkeypatch, seed, sort_share):
    monkeypatch.setattr(figure_index, "SORT_SHARE", sort_share)
    rng = random.Random(seed)
    kb = tmp_path / "kb.duckdb"
    present: dict[str, int] = {}
    next_id = 0
    for step in range(6):
        pairs = []
        for _ in range(rng.randint(1, 8)):                      # new articles
            doc_id = f"d{next_id}"
            next_id += 1
            present[doc_id] = 0
            pairs.append(make_article(doc_id, rng, 0))
        for doc_id in rng.sample(sorted(present), min(len(present), rng.randint(0, 4))):   # updates
            if any(p[0]["doc_id"] == doc_id for p in pairs):
                continue
            present[doc_id] += 1
            pairs.append(make_article(doc_id, rng, present[doc_id]))
        load(tmp_path, kb, pairs, step)
        if step and rng.random() < 0.5 and len(present) > 3:   # removals
            gone = rng.sample(sorted(present), rng.randint(1, 2))
            remove(kb, gone)
            for doc_id in gone:
                del present[doc_id]
            if rng.random() < 0.5:                              # a load with nothing new after them
                load(tmp_path, kb, [], 100 + step)
    present["last"] = 0                                        # after the last removals, if any
    load(tmp_path, kb, [make_article("last", rng, 0)], 999)
    assert modes[0]["mode"] == "rebuilt" and all(m["mode"] in ("delta", "current") for m in modes[1:])
    assert any(m["mode"] == "delta" for m in modes)
    incremental = snapshot(kb)
    assert incremental["metric_facts"][1], "the random articles gave no figures"
    with db.connect(kb, read_only=True) as con:
        assert {r[0] for r in con.execute("SELECT doc_id FROM metric_docs").fetchall()} == set(present)
    fresh = tmp_path / "fresh.duckdb"
    shutil.copyfile(kb, fresh)
    result = CliRunner().invoke(main, ["index", "--db", str(fresh)])
    assert result.exit_code == 0, result.output
    rebuilt = snapshot(fresh)
    for key in rebuilt:
        assert incremental[key] == rebuilt[key], key


def test_a_load_recomputes_only_the_groups_it_touches(tmp_path, modes):
    """An added article changes metric_facts by its rows only, and metric_periods only in the
    groups of its figures; a load of nothing changed leaves both alone."""
    rng = random.Random(11)
    kb = tmp_path / "kb.duckdb"
    load(tmp_path, kb, [make_article(f"d{i}", rng, 0) for i in range(30)], 0)
    with db.connect(kb, read_only=True) as con:
        before = {repr(r): r for r in con.execute("SELECT * FROM metric_periods").fetchall()}
    art, ext = make_article("new", rng, 0)
    art["text"] = "Đảng bộ tỉnh Lào Cai có 41.000 đảng viên."
    ext["metrics"] = [{"text": "41.000 đảng viên", "start": 23, "end": 39, "value": 41000, "unit": "count",
                       "qualifier": "exact", "indicator": "đảng viên", "subject": "Đảng bộ tỉnh Lào Cai",
                       "locality": "Lào Cai", "period": "2024", "period_source": "text", "scope": "province",
                       "measure": "total"}]
    ext["sentences"] = [[0, len(art["text"])]]
    art["duplicate_of"], art["url"] = None, "http://example.vn/lao-cai.html"
    load(tmp_path, kb, [(art, ext)], 1)
    assert modes[-1] == {"mode": "delta", "docs": 1, "sorted": False}
    with db.connect(kb, read_only=True) as con:
        after = {repr(r): r for r in con.execute("SELECT * FROM metric_periods").fetchall()}
        assert con.execute("SELECT count(*) FROM metric_facts WHERE doc_id = 'new'").fetchone()[0] == 1
    assert before.keys() <= after.keys() and [after[k][6] for k in after.keys() - before.keys()] == ["Lào Cai"]
    calls = len(modes)
    load(tmp_path, kb, [(art, ext)], 2)                         # the same again: nothing to do
    assert len(modes) == calls or modes[-1]["mode"] == "current"


def test_missing_or_old_layout_index_is_rebuilt(tmp_path, modes):
    rng = random.Random(5)
    kb = tmp_path / "kb.duckdb"
    load(tmp_path, kb, [make_article(f"d{i}", rng, 0) for i in range(10)], 0)
    with db.connect(kb) as con:
        con.execute("UPDATE metric_state SET layout = 'figures-1'")
        con.execute("UPDATE search_state SET token = ?", [search_index.new_token()])
    load(tmp_path, kb, [make_article("d10", rng, 0)], 1)
    assert modes[-1]["mode"] == "rebuilt"
    with db.connect(kb) as con:
        assert figure_index.ready(con)
        con.execute("DROP TABLE metric_docs")
        con.execute("UPDATE search_state SET token = ?", [search_index.new_token()])
    load(tmp_path, kb, [make_article("d11", rng, 0)], 2)
    assert modes[-1]["mode"] == "rebuilt"
    want = snapshot(kb)
    assert CliRunner().invoke(main, ["index", "--db", str(kb)]).exit_code == 0
    assert snapshot(kb) == want


def test_layout_constant_matches_the_build_script(tmp_path):
    with db.connect(tmp_path / "kb.duckdb") as con:
        assert not figure_index.ready(con)
        figure_index.rebuild(con)
        assert figure_index.ready(con)
        assert con.execute("SELECT layout FROM metric_state").fetchone()[0] == figure_index.LAYOUT


def test_reference_catalogs_are_written_by_delta(tmp_path):
    """documents and provinces: a load that finds them as the reference files give them writes
    nothing; a row changed or added by hand is put back as the files say."""
    from pipelines import reference

    with db.connect(tmp_path / "kb.duckdb") as con:
        first = reference.load_reference(con)
        want = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in ("documents", "provinces")}
        assert first["changed"] == first["documents"] + first["provinces"] > 0
        assert reference.load_reference(con)["changed"] == 0
        con.execute("UPDATE documents SET title = 'x' WHERE key = (SELECT min(key) FROM documents)")
        con.execute("INSERT INTO provinces VALUES ('Không có', NULL, NULL)")
        assert reference.load_reference(con)["changed"] == 3
        assert {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in want} == want
