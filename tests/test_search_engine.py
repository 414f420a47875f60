"""The tantivy search index on random corpora, against brute force computed here.

- the top k equals BM25 computed in the test over the same terms (tantivy's BM25: k1 = 1.2,
  b = 0.75, idf = ln(1 + (N - n + 0.5) / (n + 0.5)), document lengths coded on one byte),
  ties broken by unit id;
- every combination of filters equals filtering the exact results by the database's tables;
- phrases and exclusions equal filtering the exact results by the unit's syllables;
- incremental syncs (articles added, changed, removed, in random order) match the same units as
  a fresh index, and rank them the same when nothing was deleted.
A real index is built each time (no mocks).
"""
from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from datetime import date, timedelta

import pytest

from nlp.text import fold
from pipelines import db, load as loader, search_index
from pipelines.search import SearchFilters, search
from pipelines.textindex import syllables, with_bigrams

WORDS = ("chi bộ sinh hoạt đảng viên kiểm tra giám sát chuyển đổi số học tập làm theo Bác cán bộ trẻ "
         "phát triển tổ chức cơ sở nhận phụ trách hộ dân vận khéo Zalo họp định kỳ").split() + ["sinh hoạt chi bộ"] * 3
PROVINCES = ["Bắc Giang", "Nam Định", "Cần Thơ", "Hà Giang", "Hậu Giang", "Nghệ An"]
SOURCES = ["nhandan", "dangcongsan", "baocantho"]
CATEGORIES = ["sinh_hoat_chi_bo", "chuyen_doi_so", "dan_van"]
DOCUMENTS = ["05-CT/TW", "21-NQ/TW", "35-NQ/TW"]
DISTRICTS = ["Đồng Văn", "Ninh Kiều", "Tân Yên", "Quỳnh Lưu", "Vị Thanh"]
QUERIES = ["chi bộ", "sinh hoạt chi bộ", "đảng viên trẻ", "Zalo", "kiem tra giam sat", "học tập làm theo Bác",
           "dân vận khéo", "phát triển đảng viên"]

# tantivy's one-byte document lengths (fieldnorm codes): 0..39 exact, then coarser steps
_table = [24 + ((b & 7) if b >> 3 == 0 else ((b & 7) | 8) << ((b >> 3) - 1)) for b in range(256 - 24)]
FIELD_NORMS = list(range(24)) + _table
assert FIELD_NORMS[39:42] == [39, 40, 42] and FIELD_NORMS[49] == 60 and FIELD_NORMS[255] == 2013265944


def coded_length(n: int) -> int:
    lo = max(i for i, v in enumerate(FIELD_NORMS) if v <= n)
    return FIELD_NORMS[lo]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


# words as a real corpus has them: a few in most units, most in few (Zipf-like weights)
SKEWED = WORDS[:-3] + ["nhóm Zalo", "tổ tự quản", "camera an ninh", "ngày thứ bảy tình nguyện", "sổ tay điện tử"]
SKEW_WEIGHTS = [1 / (1 + i) ** 1.1 for i in range(len(SKEWED))]


def skewed_sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(SKEWED, SKEW_WEIGHTS, k=n)).capitalize() + "."


def article(rng: random.Random, i: int, version: int = 0, say=sentence) -> tuple[dict, dict]:
    doc_id = f"d{i:03d}"
    sents = [say(rng, rng.randint(2, 30)) for _ in range(rng.randint(1, 5))]
    practice = say(rng, rng.randint(3, 12)) if rng.random() < 0.6 else None
    district = rng.choice(DISTRICTS) if rng.random() < 0.5 else None
    if district:
        sents.append(f"Huyện {district} triển khai.")
    if practice:
        sents.append(practice)
    text = " ".join(sents)
    day = date(2019, 1, 1) + timedelta(days=rng.randint(0, 6 * 365))
    art = {"doc_id": doc_id, "url": f"http://example.vn/{doc_id}.html", "source": rng.choice(SOURCES),
           "title": sentence(rng, rng.randint(1, 6)) if rng.random() < 0.8 else None,
           "lead": sentence(rng, 4) if rng.random() < 0.3 else None,
           "published": f"{day.isoformat()}T09:00:00+07:00" if rng.random() < 0.9 else None, "text": text,
           "version": version}
    if rng.random() < 0.1 and i > 3:
        art["duplicate_of"] = "d000"              # a syndicated copy: never indexed
    ents, directives, practices = [], [], []
    if district:
        start = text.index(f"Huyện {district}")
        ents.append({"label": "LOC", "text": f"Huyện {district}", "start": start, "end": start + 6 + len(district),
                     "norm": f"huyện {district}", "level": "district"})
    if rng.random() < 0.4:
        key = rng.choice(DOCUMENTS)
        directives.append({"text": key, "start": 0, "end": 1, "kind": key.split("-")[1].split("/")[0],
                           "number": int(key[:2]), "issuer": "TW", "key": key, "term": None, "date": None})
    if practice:
        start = text.index(practice)
        practices.append({"text": practice, "start": start, "end": start + len(practice),
                          "category": rng.choice(CATEGORIES + [None])})
    ext = {"doc_id": doc_id, "province": rng.choice(PROVINCES + [None]), "entities": ents, "directives": directives,
           "metrics": [], "practices": practices}
    return art, ext


def load(path, pairs, sync=True) -> None:
    with db.connect(path) as con:
        loader.load(con, pairs, workers=1)
        if sync:
            search_index.sync(con, search_index.index_path(path))


# ------------------------------------------------------------------ brute force
def units(con) -> dict[str, dict]:
    """Every indexed unit with its terms and what the filters read, from the database's tables."""
    rows = con.execute("""
        SELECT u.unit_id, u.unit_key, u.kind, u.doc_id, u.start, u."end", u.province, u.province_2025,
               u.category, a.title, a.lead, a.text, a.source, CAST(CAST(a.published AS DATE) AS VARCHAR)
        FROM search_units u JOIN articles a USING (doc_id) WHERE a.duplicate_of IS NULL""").fetchall()
    cats = dict(con.execute("SELECT doc_id, list(DISTINCT category) FROM practices WHERE category IS NOT NULL "
                            "GROUP BY doc_id").fetchall())
    docs = dict(con.execute("SELECT doc_id, list(DISTINCT key) FROM directives GROUP BY doc_id").fetchall())
    places = dict(con.execute("SELECT doc_id, list(DISTINCT name) FROM places GROUP BY doc_id").fetchall())
    out = {}
    for uid, key, kind, doc, s, e, prov, prov25, cat, title, lead, text, source, day in rows:
        words = text[s:e] if kind == "practice" else " ".join(filter(None, [title, lead])) + "\n" + text
        sylls = syllables(words)
        out[uid] = {"key": key, "kind": kind, "doc_id": doc, "start": s if kind == "practice" else 0,
                    "province": prov, "province_2025": prov25, "source": source, "day": day,
                    "categories": {cat} - {None} if kind == "practice" else set(cats.get(doc, [])),
                    "documents": set(docs.get(doc, [])), "places": {fold(p) for p in places.get(doc, [])},
                    "sylls": sylls, "tf": Counter(with_bigrams(sylls))}
    return out


def bm25(us: dict[str, dict], terms: list[str]) -> dict[str, float]:
    n = len(us)
    avg = sum(sum(u["tf"].values()) for u in us.values()) / n
    df = Counter(t for u in us.values() for t in set(u["tf"]) if t in terms)
    scores = {}
    for uid, u in us.items():
        dl = coded_length(sum(u["tf"].values()))
        s = 0.0
        for t in terms:
            tf = u["tf"].get(t, 0)
            if tf:
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                s += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avg))
        if s > 0:
            scores[uid] = s
    return scores


def hit_id(h) -> str:
    return f"p:{h.doc_id}:{h.start}" if h.kind == "practice" else f"a:{h.doc_id}"


def assert_same_ranking(got: list, want: list[tuple[str, float]], k: int) -> None:
    """got (hits) is the top k of want ((unit id, exact score) best first, ties by unit id), up
    to float32 rounding: the same scores position by position, the same units where the
    scores are not within rounding of another's."""
    want = sorted(want, key=lambda x: (-x[1], x[0]))
    assert len(got) == min(k, len(want))
    for i, h in enumerate(got):
        assert h.score == pytest.approx(want[i][1], rel=1e-4, abs=1e-4)
        near = {u for u, s in want if abs(s - want[i][1]) <= 1e-4 * max(1.0, abs(s))}
        if len(near) == 1:
            assert hit_id(h) == want[i][0]
        else:
            assert hit_id(h) in near


def terms_of(query: str) -> list[str]:
    return list(dict.fromkeys(with_bigrams(syllables(query))))


# ------------------------------------------------------------------ tests
@pytest.fixture(scope="module", params=[1, 2])
def corpus(request, tmp_path_factory):
    rng = random.Random(request.param)
    path = tmp_path_factory.mktemp(f"engine{request.param}") / "kb.duckdb"
    load(path, [article(rng, i) for i in range(60)])
    with db.connect(path, read_only=True) as con:
        yield path, units(con), rng


def test_top_k_equals_brute_force_bm25(corpus):
    path, us, _ = corpus
    with db.connect(path, read_only=True) as con:
        for q in QUERIES:
            exact = bm25(us, terms_of(q))
            for k in (1, 5, 20, 1000):
                assert_same_ranking(search(con, q, limit=k), list(exact.items()), k)


def test_pruned_searches_equal_brute_force_bm25(tmp_path, monkeypatch):
    """On words as a real corpus has them (a few common, most rare), a search scores only the
    units that can reach its best (pipelines.search.prune: the query's rarest terms required,
    the floor from the units holding the rarest one); the results equal BM25 computed here for
    every k, with filters, phrases and exclusions, and pruning did happen."""
    import pipelines.search as search_mod

    rng = random.Random(11)
    path = tmp_path / "kb.duckdb"
    load(path, [article(rng, i, say=skewed_sentence) for i in range(400)])
    monkeypatch.setattr(search_mod, "PRUNE_MAX_SHARE", 0.3)     # a small corpus: rare is rarer at scale
    pruned = []
    real = search_mod.prune
    monkeypatch.setattr(search_mod, "prune", lambda s, q, *a: (lambda r: pruned.append(r[0] is not q) or r)(real(s, q, *a)))
    queries = ["chi bộ nhóm Zalo", "camera an ninh chi bộ", "đảng viên sổ tay điện tử", "tổ tự quản sinh hoạt",
               "ngày thứ bảy tình nguyện", "họp định kỳ camera", "Zalo tổ tự quản đảng viên trẻ"]
    filters = [SearchFilters(), SearchFilters(kind="practice"), SearchFilters(since="2021-06-01"),
               SearchFilters(source="nhandan", until="2023-03-31")]
    with db.connect(path, read_only=True) as con:
        us = units(con)
        for q in queries:
            exact = bm25(us, terms_of(q))
            for f in filters:
                want = [(u, s) for u, s in exact.items() if _passes(us[u], f)]
                for k in (1, 3, 10, 40):
                    assert_same_ranking(search(con, q, f, limit=k), want, k)
        for query, required, excluded in [('"tổ tự quản" đảng viên', [["to", "tu", "quan"]], []),
                                          ("camera chi bộ -Zalo", [], [["zalo"]])]:
            exact = bm25(us, _terms_by_segment(query))
            want = [(u, s) for u, s in exact.items() if all(_contains(us[u]["sylls"], p) for p in required)
                    and not any(_contains(us[u]["sylls"], p) for p in excluded)]
            for k in (1, 10):
                assert_same_ranking(search(con, query, limit=k), want, k)
    assert sum(pruned) >= 10, pruned


def _passes(u: dict, f: SearchFilters) -> bool:
    if f.kind and u["kind"] != f.kind:
        return False
    if f.province and (u["province_2025"] if f.merged else u["province"]) != f.province:
        return False
    if f.source and u["source"] != f.source:
        return False
    if f.since and not (u["day"] and u["day"] >= f.since):
        return False
    if f.until and not (u["day"] and u["day"] <= f.until):
        return False
    if f.category and f.category not in u["categories"]:
        return False
    if f.document and f.document not in u["documents"]:
        return False
    if f.district is not None and not any(fold(f.district) in p for p in u["places"]):
        return False
    return True


FILTER_VALUES = {"kind": ["article", "practice"], "province": ["Bắc Giang", "Cần Thơ", "Hà Giang"],
                 "source": SOURCES, "since": ["2021-06-01"], "until": ["2023-03-31"], "category": CATEGORIES,
                 "document": DOCUMENTS, "district": ["Dong Van", "đồng văn", "Ninh", "ninh_kieu", "%"]}


def test_every_filter_combination_equals_filtering_the_exact_results(corpus):
    path, us, rng = corpus
    names = list(FILTER_VALUES)
    with db.connect(path, read_only=True) as con:
        # no reference tables in this base: a province is filtered by its name as given
        assert con.execute("SELECT count(*) FROM provinces").fetchone()[0] == 0
        for r in range(len(names) + 1):
            for combo in itertools.combinations(names, r):
                values = {n: rng.choice(FILTER_VALUES[n]) for n in combo}
                merged = "province" in values and rng.random() < 0.5
                if merged:
                    values["province"] = {"Bắc Giang": "Bắc Ninh", "Hà Giang": "Tuyên Quang"}.get(values["province"],
                                                                                             values["province"])
                f = SearchFilters(merged=merged, **values)
                q = rng.choice(QUERIES)
                exact = bm25(us, terms_of(q))
                want = [(u, s) for u, s in exact.items() if _passes(us[u], f)]
                assert_same_ranking(search(con, q, f, limit=1000), want, 1000)


def test_accents_are_optional_in_district_and_wildcards_are_literal(corpus):
    path, us, _ = corpus
    with db.connect(path, read_only=True) as con:
        a = [hit_id(h) for h in search(con, "chi bộ", SearchFilters(district="Đồng Văn"), limit=1000)]
        b = [hit_id(h) for h in search(con, "chi bo", SearchFilters(district="Dong Van"), limit=1000)]
        assert a and a == b
        assert search(con, "chi bộ", SearchFilters(district="Đồng_Văn")) == []
        assert search(con, "chi bộ", SearchFilters(district="%")) == []
        assert search(con, "chi bộ", SearchFilters(district="Đồng.Văn")) == []


def _contains(sylls: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(sylls[i:i + n] == phrase for i in range(len(sylls) - n + 1))


@pytest.mark.parametrize("query,required,excluded", [
    ('"sinh hoạt chi bộ"', [["sinh", "hoat", "chi", "bo"]], []),
    ('đảng viên "chi bộ"', [["chi", "bo"]], []),
    ("chi bộ -Zalo", [], [["zalo"]]),
    ('đảng viên -"chi bộ" -tre', [], [["chi", "bo"], ["tre"]]),
])
def test_phrases_and_exclusions_filter_the_exact_results(corpus, query, required, excluded):
    path, us, _ = corpus
    with db.connect(path, read_only=True) as con:
        got = search(con, query, limit=1000)
    exact = bm25(us, _terms_by_segment(query))
    want = [(u, s) for u, s in exact.items()
            if all(_contains(us[u]["sylls"], p) for p in required) and not any(_contains(us[u]["sylls"], p) for p in excluded)]
    assert want
    assert_same_ranking(got, want, 1000)


def _terms_by_segment(query: str) -> list[str]:
    from pipelines.search import parse_query

    return parse_query(query).terms


def test_query_parsing():
    from pipelines.search import parse_query

    p = parse_query('sinh hoạt "Chi bộ" -Zalo -"nhóm chat" 2020-2025')
    assert p.phrases == [["chi", "bo"]] and p.excluded == [["zalo"], ["nhom", "chat"]]
    assert p.terms == ["sinh", "hoat", "sinh_hoat", "chi", "bo", "chi_bo", "2020", "2025", "2020_2025"]
    assert parse_query("sinh hoạt chi bộ").terms == terms_of("sinh hoạt chi bộ")
    assert parse_query("-zalo").terms == [] and parse_query('"unclosed phrase').phrases == [["unclosed", "phrase"]]


def _results(path, queries=QUERIES, filters=(SearchFilters(), SearchFilters(kind="practice"),
                                              SearchFilters(category="dan_van"), SearchFilters(district="ninh"))):
    with db.connect(path, read_only=True) as con:
        return {(q, repr(f)): [(hit_id(h), h.score) for h in search(con, q, f, limit=1000)]
                for q in queries for f in filters}


@pytest.mark.parametrize("seed,changes", [(3, True), (4, True), (5, False)])
def test_incremental_syncs_equal_a_fresh_index(tmp_path, seed, changes):
    """Random sequences of loads adding, changing and removing articles, the index brought in
    step after each: the same units match as in an index built fresh from the final database;
    as long as nothing was deleted, with the same scores. `xdd index` (a rebuild) equals fresh."""
    rng = random.Random(seed)
    inc, fresh = tmp_path / "inc.duckdb", tmp_path / "fresh.duckdb"
    live: dict[int, tuple[dict, dict]] = {}
    deleted_any = False
    new_ids = itertools.count(1000)
    for step in range(6):
        batch = []
        for _ in range(rng.randint(1, 15)):
            op = rng.random()
            if op < 0.5 or not live or not changes:         # a new article
                i = next(new_ids)
                batch.append(article(rng, i))
            elif op < 0.85:                                 # a changed article (text and facts)
                i = rng.choice(sorted(live))
                art, ext = article(rng, i, version=step + 1)
                batch.append((art, ext))
                deleted_any = True
            else:                                           # a removed article (not one of this batch)
                ids = sorted(set(live) - {int(a["doc_id"][1:]) for a, _ in batch})
                if not ids:
                    continue
                i = rng.choice(ids)
                with db.connect(inc) as con:
                    con.execute("BEGIN")
                    loader._delete_docs(con, [live.pop(i)[0]["doc_id"]])
                    con.execute("UPDATE search_state SET token = ?", [search_index.new_token()])
                    con.execute("COMMIT")
                deleted_any = True
                continue
            live[int(batch[-1][0]["doc_id"][1:])] = batch[-1]
        load(inc, batch)
    load(fresh, sorted(live.values(), key=lambda p: p[0]["doc_id"]))
    got, want = _results(inc), _results(fresh)
    assert {k: sorted(u for u, _ in v) for k, v in got.items()} == {k: sorted(u for u, _ in v) for k, v in want.items()}
    assert deleted_any == changes
    if not deleted_any:
        assert got == want
    with db.connect(inc) as con:
        search_index.sync(con, search_index.index_path(inc), rebuild=True)
    assert _results(inc) == want


def test_a_load_without_its_index_update_is_refused_then_repaired(tmp_path):
    from click.testing import CliRunner

    from pipelines.cli import main

    rng = random.Random(9)
    path = tmp_path / "kb.duckdb"
    load(path, [article(rng, i) for i in range(10)])
    load(path, [article(rng, 20)], sync=False)           # a load killed before the index caught up
    result = CliRunner().invoke(main, ["search", "chi bộ", "--db", str(path)])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and lines[0].endswith("run `xdd index`")
    # killed after tantivy's commit, before the index recorded its state: still refused
    load(path, [article(rng, 21)])
    for name in (search_index.STATE_FILE, search_index.UNITS_FILE):
        (search_index.index_path(path) / name).unlink()
    assert CliRunner().invoke(main, ["search", "chi bộ", "--db", str(path)]).exit_code != 0
    with db.connect(path) as con:                        # the next load's sync reads the index itself
        info = search_index.sync(con, search_index.index_path(path))
        assert info["added"] == info["deleted"] == 0 and not info["rebuilt"]
    assert CliRunner().invoke(main, ["search", "chi bộ", "--db", str(path)]).exit_code == 0
    load(path, [article(rng, 22)], sync=False)
    assert CliRunner().invoke(main, ["index", "--db", str(path)]).exit_code == 0
    result = CliRunner().invoke(main, ["search", "chi bộ", "--format", "json", "--db", str(path)])
    assert result.exit_code == 0


def test_ties_are_broken_by_unit_id_across_the_cut(tmp_path):
    """Identical articles score the same: the first k by unit id are shown, whatever the order
    they were indexed in (ids sharing their first 8 bytes included)."""
    rng = random.Random(11)
    ids = [f"duplicate-{i:02d}" for i in range(40)] + [f"z{i:02d}" for i in range(10)] + [f"b{i}" for i in range(10)]
    rng.shuffle(ids)
    text = "Chi bộ sinh hoạt chuyên đề mỗi quý."
    path = tmp_path / "kb.duckdb"
    for part in (ids[:25], ids[25:]):          # two loads: two segments
        load(path, [({"doc_id": d, "text": text, "url": f"http://x.vn/{d}"}, None) for d in part])
    with db.connect(path, read_only=True) as con:
        for k in (1, 3, 10, 15, 45):
            assert [h.doc_id for h in search(con, "chi bộ", limit=k)] == sorted(ids)[:k]


def test_wide_ties_are_settled_as_narrow_ones(tmp_path, monkeypatch):
    """Ties running past the units one search fetches (many copies of the same words) are
    settled by content and unit order (pipelines.search._wide_tie): the same results as
    fetching every tied unit at once, with filters, exclusions, several tied contents, units
    of other words tied with them, and ids sharing their first 8 bytes."""
    import pipelines.search as search_mod

    rng = random.Random(5)
    texts = ["Chi bộ sinh hoạt chuyên đề mỗi quý.", "Chi bộ sinh hoạt chuyên đề mỗi tháng.",
             "Đảng ủy xã kiểm tra chi bộ.", "Chi bộ thôn họp bàn việc làm đường."]
    pairs = []
    for i in range(90):
        doc_id = rng.choice(["copy-", "z", "b", "duplicate-"]) + f"{i:03d}"
        pairs.append(({"doc_id": doc_id, "text": texts[i % len(texts)] if i % 7 else texts[0],
                       "url": f"http://x.vn/{doc_id}", "published": f"202{i % 4}-0{1 + i % 9}-1{i % 10}"}, None))
    path = tmp_path / "kb.duckdb"
    load(path, pairs[:50])
    load(path, pairs[50:])                      # two loads: two segments
    queries = [("chi bộ", None), ("chi bộ sinh hoạt", None), ("chi bộ -tháng", None),
               ("chi bộ", SearchFilters(since="2022-01-01")), ('"chi bộ" quý', SearchFilters(until="2021-06-30"))]
    wide = []
    real = search_mod._wide_tie
    monkeypatch.setattr(search_mod, "_wide_tie", lambda *a: wide.append(1) or real(*a))
    with db.connect(path, read_only=True) as con:
        for q, f in queries:
            for k in (1, 3, 10, 25, 60):
                monkeypatch.setattr(search_mod, "FIRST_FETCH", 10_000)
                want = [(h.doc_id, h.score) for h in search(con, q, f, limit=k)]
                monkeypatch.setattr(search_mod, "FIRST_FETCH", 1)
                got = [(h.doc_id, h.score) for h in search(con, q, f, limit=k)]
                assert got == want, (q, f, k)
                assert len(want) == min(k, len(search(con, q, f, limit=1000)))
                # the web page's one search (results, total and the best units for its facets)
                found = search_mod.find(con, q, f, limit=k, best=7)
                assert [(h.doc_id, h.score) for h in found.hits] == want
                assert found.total == len(search(con, q, f, limit=1000)) and len(found.best) == min(7, found.total)
    assert len(wide) > 10


@pytest.mark.parametrize("delay", [5.0, 8.0])
def test_a_killed_load_leaves_an_index_used_correctly_or_refused(tmp_path, delay):
    """`xdd load` killed (SIGKILL) at some point (on the development machine, 5 s falls in the
    middle of its batches and the search is refused): `xdd search` then either answers as a
    fresh index of the database would, or refuses in one line asking for `xdd index`."""
    import json
    import os
    import signal
    import subprocess
    import sys
    import time

    from click.testing import CliRunner

    from pipelines.cli import main

    rng = random.Random(int(delay * 10))
    articles = tmp_path / "articles.jsonl"
    with open(articles, "w", encoding="utf-8") as fh:
        for i in range(3000):
            fh.write(json.dumps(article(rng, i)[0], ensure_ascii=False) + "\n")
    path = tmp_path / "kb.duckdb"
    load(path, [article(rng, i) for i in range(5000, 5020)])          # a first, complete load
    proc = subprocess.Popen([sys.executable, "-m", "pipelines", "load", str(articles), "--no-extract",
                             "--workers", "1", "--db", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    result = CliRunner().invoke(main, ["search", "chi bộ", "--limit", "1000", "--format", "json", "--db", str(path)])
    if result.exit_code != 0:
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and "run `xdd index`" in lines[0]
        assert CliRunner().invoke(main, ["index", "--db", str(path)]).exit_code == 0
    else:
        got = json.loads(result.output)
        assert CliRunner().invoke(main, ["index", "--db", str(path)]).exit_code == 0
        again = CliRunner().invoke(main, ["search", "chi bộ", "--limit", "1000", "--format", "json", "--db", str(path)])
        assert [(h["doc_id"], h["start"], h["score"]) for h in got] == \
            [(h["doc_id"], h["start"], h["score"]) for h in json.loads(again.output)]
    with db.connect(path, read_only=True) as con:
        assert search_index.status(con) == "fresh"
        assert search(con, "chi bộ")
    assert os.path.exists(search_index.index_path(path) / "meta.json")
