"""Researcher search: BM25 over articles and practices, tone-insensitive, phrase-aware."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import duckdb
import polars as pl

from nlp.sentences import split_sentences
from nlp.text import fold
from pipelines import db, facts, queries
from pipelines.errors import DatabaseError
from pipelines.places import resolve_province
from pipelines.textindex import document_key, key64, query_terms, syllables, term_keys

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
    return db.has_tables(con, "search_impacts", "metric_facts", "metric_periods")


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
        with db.settings(con, threads=1 if _narrow(filters) else None):
            top = _top_units(con, terms, filters, limit)
    except duckdb.CatalogException:      # no index: nothing loaded yet, or a load was interrupted
        if con.execute("SELECT count(*) FROM search_units").fetchone()[0]:
            raise DatabaseError("the search index is missing: run `xdd index`") from None
        return []
    if top.is_empty():
        return []
    with db.settings(con, threads=1):
        shown = _shown(con, top)
    return [_hit(h, query) for h in shown.to_dicts()]


def _narrow(f: SearchFilters) -> bool:
    """Whether the query reads only short lists (no filter, or a category): one DuckDB thread
    then answers sooner than several, which cost more to start and join than they save."""
    return all(v in (None, False) for k, v in vars(f).items() if k not in ("category", "kind"))


def _shown(con, top: pl.DataFrame) -> pl.DataFrame:
    """The top units with what a result shows, best first (two probes, joined here)."""
    units = queries.run(con, "search_hit_units", {"units": top["unit_key"].to_list()}).pl()
    docs = queries.run(con, "search_hit_articles", {"docs": units["doc_id"].unique().to_list()}).pl()
    rows = top.select("unit_key", "score", "matched").join(units, on="unit_key").join(docs, on="doc_id")
    return rows.sort(["score", "unit_id"], descending=[True, False])


def _top_units(con, terms: list[str], f: SearchFilters, limit: int) -> pl.DataFrame:
    """Top units: unfiltered, or by category, from the impact lists (the 2,000 best postings of
    each term); by province (and kind) from that province's postings; with other filters (or
    when a category's impact lists hold fewer than `limit` units), exact scores over the units
    that pass them."""
    params = _filter_params(con, f)
    terms = term_keys(terms)
    if _only(params):
        return con.execute(*queries.per_term("search_top", "search_term_impacts", terms, limit)).pl()
    p25 = _postings_province(params)
    if p25 and _only(params, "provinces", "provinces_2025", "kind"):
        old = key64(params["provinces"][0]) if params["provinces"] else None
        extra = [key64(p25), old, old, params["kind"], params["kind"]]
        return con.execute(*queries.per_term("search_place_top", "search_term_in_province", terms, limit, extra)).pl()
    if params["category"] and _only(params, "category", "kind"):
        after = [params["category"], params["kind"], params["kind"]]
        top = con.execute(*queries.per_term("search_category_top", "search_term_impacts", terms, limit, after=after)).pl()
        if top.height >= limit:      # as exact as the unfiltered search; else score every posting below
            return top
    allowed = queries.run(con, "search_allowed", params).pl()
    if p25:
        query = queries.per_term("search_filtered", "search_term_in_province", terms, limit, [key64(p25), None, None, None, None])
    else:
        query = queries.per_term("search_filtered", "search_term_postings", terms, limit)
    return _with_frame(con, "_xdd_allowed", allowed, lambda: con.execute(*query).pl())


def _only(params: dict, *keys: str) -> bool:
    """Whether no filter other than `keys` is set."""
    return all(v is None for k, v in params.items() if k not in keys)


def _postings_province(params: dict) -> str | None:
    """The one post-2025 province every unit passing the province filter has (as computed at load)."""
    if params["provinces_2025"] and len(params["provinces_2025"]) == 1:
        return params["provinces_2025"][0]
    if params["provinces"] and len(params["provinces"]) == 1:
        return facts.merged(params["provinces"][0])
    return None


def _with_frame(con, name: str, frame: pl.DataFrame, fn):
    con.register(name, frame)
    try:
        return fn()
    finally:
        con.unregister(name)


def _filter_params(con, f: SearchFilters) -> dict:
    provinces, provinces_2025 = resolve_province(con, f.province, f.merged) if f.province else (None, None)
    return {"kind": f.kind, "source": f.source, "since": f.since, "until": f.until, "provinces": provinces,
            "provinces_2025": provinces_2025, "category": f.category, "document": _doc_key(f.document),
            "district": f.district}


def _doc_key(document: str | None) -> str | None:
    return document_key(document) if document else None


def best_sentence(sents: list[tuple[int, int, str]], query: str) -> tuple[int, int, str]:
    """The sentence holding the most query syllables (phrase occurrences count double)."""
    q = syllables(query)
    phrase = " ".join(q)
    def score(item):
        folded = " ".join(syllables(item[2]))
        words = set(folded.split())
        return sum(w in words for w in q) + (2 * len(q) if phrase and phrase in folded else 0)
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
