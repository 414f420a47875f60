"""Researcher search: BM25 over articles and practices, tone-insensitive, phrase-aware."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import duckdb

from nlp.sentences import split_sentences
from nlp.text import fold
from pipelines import db, facts, queries
from pipelines.errors import DatabaseError
from pipelines.places import resolve_province
from pipelines.textindex import SYLLABLE, document_key, key64, query_terms, syllables, term_keys

@dataclass
class SearchFilters:
    province: str | None = None
    merged: bool = False
    district: str | None = None
    category: str | None = None
    document: str | None = None
    since: str | None = None
    until: str | None = None
    source: str | None = None
    kind: str | None = None


@dataclass
class SearchHit:
    kind: str
    doc_id: str
    title: str
    published: str | None
    province: str | None
    province_2025: str | None
    district: str | None
    category: str | None
    sentence: str
    start: int
    end: int
    highlighted: str
    url: str
    score: float
    extras: dict = field(default_factory=dict)


def rebuild_search_index(con: duckdb.DuckDBPyConnection, fts: bool = False) -> None:
    """(Re)build the derived tables: the figure index (metric_facts), the BM25 postings from the
    stored term frequencies and, with `fts`, DuckDB's FTS index on the same terms (for
    `fts_main_search_units.match_bm25` from the DuckDB CLI; `xdd search` does not need it)."""
    with _memory_limit(con, REBUILD_MEMORY_BYTES):
        queries.run_script(con, "build_metric_facts")
        queries.run_script(con, "build_search_postings")
        if fts:
            build_fts_index(con)


# The rebuild's sorts and window spill to disk past this much memory, so its footprint stays
# put as the corpus grows (measured: 3.1 GB peak at 100,000 articles, against 8.8 GB unbounded).
REBUILD_MEMORY_BYTES = 3 * 1024 ** 3


def _memory_limit(con, limit: int):
    """DuckDB's memory limit lowered to `limit` bytes (or 80% of RAM if that is less) for a while."""
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") if hasattr(os, "sysconf") else limit
    return db.settings(con, memory_limit=f"{int(min(limit, 0.8 * ram)) // 1024 ** 2}MB")


def build_fts_index(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB's own full-text index on the same units and terms (table search_text: tone-folded
    syllables and bigrams, as text), for `fts_main_search_text.match_bm25` from the DuckDB CLI."""
    queries.run_script(con, "build_search_text")
    db.load_fts(con)
    con.execute("PRAGMA create_fts_index('search_text', 'unit_id', 'terms', stemmer = 'none', "
                "stopwords = 'none', ignore = '[^a-z0-9_]+', strip_accents = 0, lower = 1, overwrite = 1)")


def index_ready(con: duckdb.DuckDBPyConnection) -> bool:
    return db.has_tables(con, "search_impacts", "search_place_impacts", "search_categories", "search_document_units",
                         "search_place_docs", "metric_facts", "metric_periods")


def fts_ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether DuckDB's FTS index exists (once built, every rebuild keeps it current)."""
    return con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'fts_main_search_text'").fetchone()[0] > 0


def drop_fts_index(con: duckdb.DuckDBPyConnection) -> None:
    if fts_ready(con):
        db.load_fts(con)
        con.execute("PRAGMA drop_fts_index('search_text')")
        con.execute("DROP TABLE IF EXISTS search_text")


def search(con: duckdb.DuckDBPyConnection, query: str, filters: SearchFilters | None = None,
           limit: int = 10) -> list[SearchHit]:
    filters = filters or SearchFilters()
    terms = query_terms(query)
    if not terms:
        return []
    try:
        top = _top_units(con, term_keys(terms), _filter_params(con, filters), limit)
    except duckdb.CatalogException:      # no index: nothing loaded yet, or a load was interrupted
        if con.execute("SELECT count(*) FROM search_units").fetchone()[0]:
            raise DatabaseError("the search index is missing: run `xdd index`") from None
        return []
    except duckdb.BinderException:       # an index built by an earlier version (other columns)
        raise DatabaseError("the search index is of an older layout: run `xdd index`") from None
    return [_hit(h, query) for h in _shown(con, top)]


def _top_units(con, terms: list[int], params: dict, limit: int) -> list[tuple]:
    """(unit_key, score, matched) of the top units, best first. Filters are conditions on the
    impact lists: those of the one province after 2025 a province filter names
    (search_place_impacts), else those of the whole corpus (search_impacts). Lists cut at a
    term's best postings may hold fewer than `limit` units that pass the filters: every posting
    of the terms is then scored (search_postings)."""
    place = _place(params)
    top = _top(con, "search_place_impacts" if place else "search_impacts", terms, params, place, limit)
    if len(top) >= limit or all(v is None for v in params.values()):
        return top
    return _top(con, "search_postings", terms, params, place, limit)


def _top(con, table: str, terms: list[int], params: dict, place: int | None, limit: int) -> list[tuple]:
    allowed = _allowed_query(params)
    sql = queries.per_term("search_top", "search_term_rows", table, terms, allowed)
    names = TOP_PARAMS + ALLOWED_PARAMS.get(allowed, ())
    return con.execute(sql, queries.term_params(terms) | {k: params[k] for k in names}
                       | {"place": place, "limit": limit}).fetchall()


# The filters as the postings carry them (search_top.sql), and those search_allowed.sql applies.
TOP_PARAMS = ("kind", "since", "until", "province_keys", "place_keys", "source_key", "category_bit")
ALLOWED_PARAMS = {"search_allowed": ("document", "district", "category"), "search_allowed_document": ("document",)}


def _allowed_query(params: dict) -> str | None:
    """The query of the units passing the filters the postings do not carry, if any is set."""
    if params["district"] or (params["category"] and params["category_bit"] is None):
        return "search_allowed"
    return "search_allowed_document" if params["document"] else None


def _place(params: dict) -> int | None:
    """key64 of the one province after 2025 that every unit passing the province filter has."""
    if params["provinces_2025"] and len(params["provinces_2025"]) == 1:
        return key64(params["provinces_2025"][0])
    if params["provinces"] and len(params["provinces"]) == 1:
        return key64(facts.merged(params["provinces"][0]))
    return None


def _shown(con, top: list[tuple]) -> list[dict]:
    """The top units with what a result shows, best first (two probes by key, joined here)."""
    if not top:
        return []
    units = _dicts(queries.run(con, "search_hit_units", {"units": [t[0] for t in top]}))
    docs = _dicts(queries.run(con, "search_hit_articles", {"docs": sorted({u["doc_id"] for u in units})}))
    by_unit = {u["unit_key"]: u for u in units}
    by_doc = {d["doc_id"]: d for d in docs}
    rows = [by_unit[k] | by_doc[by_unit[k]["doc_id"]] | {"score": score, "matched": matched}
            for k, score, matched in top if k in by_unit and by_unit[k]["doc_id"] in by_doc]
    return sorted(rows, key=lambda r: (-r["score"], r["unit_id"]))


def _dicts(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _filter_params(con, f: SearchFilters) -> dict:
    """The filters by name, and as keys the way the postings carry them."""
    provinces, provinces_2025 = resolve_province(con, f.province, f.merged) if f.province else (None, None)
    return {"kind": f.kind, "source": f.source, "since": f.since, "until": f.until, "provinces": provinces,
            "provinces_2025": provinces_2025, "category": f.category, "document": _doc_key(f.document),
            "district": f.district,
            "province_keys": _keys(provinces), "place_keys": _keys(provinces_2025),
            "source_key": key64(f.source) if f.source else None,
            "category_bit": _category_bit(con, f.category) if f.category else None}


def _keys(names: list[str] | None) -> list[int] | None:
    return [key64(n) for n in names] if names is not None else None


def _category_bit(con, category: str) -> int | None:
    row = queries.run(con, "search_category_bit", {"category": category}).fetchone()
    return row[0] if row else None


def _doc_key(document: str | None) -> str | None:
    return document_key(document) if document else None


def best_sentence(sents: list[tuple[int, int, str]], query: str) -> tuple[int, int, str]:
    """The sentence holding the most query syllables (phrase occurrences count double)."""
    q = syllables(query)
    phrase = " ".join(q)
    def score(item):
        words = SYLLABLE.findall(fold(item[2]))
        present = set(words)
        return sum(w in present for w in q) + (2 * len(q) if phrase and phrase in " ".join(words) else 0)
    return max(sents, key=score) if sents else (0, 0, "")


def highlight(text: str, query: str, mark: tuple[str, str] = ("«", "»")) -> str:
    """Wrap each word of `text` whose folded form is a query syllable."""
    q = set(syllables(query))
    def sub(m: re.Match) -> str:
        w = m.group(0)
        return f"{mark[0]}{w}{mark[1]}" if fold(w) in q else w
    return re.sub(r"\w+", sub, text)


def article_sentences(text: str) -> list[tuple[int, int, str]]:
    return [(s, e, text[s:e]) for s, e in split_sentences(text)]


def _hit(h: dict, query: str) -> SearchHit:
    text = h["text"] or ""
    if h["kind"] == "practice":
        s, e = h["start"], h["end"]
        sentence = text[s:e]
    else:
        s, e, sentence = best_sentence(article_sentences(text), query)
    return SearchHit(kind=h["kind"], doc_id=h["doc_id"], title=h["title"] or "", published=h["published"],
                     province=h["province"], province_2025=h["province_2025"], district=h["district"],
                     category=h["category"], sentence=sentence, start=s, end=e,
                     highlighted=highlight(sentence, query), url=h["url"] or "", score=round(h["score"], 4))
