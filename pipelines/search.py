"""Researcher search: BM25 over articles and practices (tantivy: pipelines.search_index),
tone-insensitive, with phrases, exclusions and filters."""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field

import duckdb

import tantivy

from nlp.sentences import split_sentences
from nlp.text import fold
from pipelines import db, queries, search_index
from pipelines.errors import InputError
from pipelines.places import resolve_province
from pipelines.textindex import SYLLABLE, document_key, syllables, with_bigrams


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


def rebuild_derived_tables(con: duckdb.DuckDBPyConnection, fts: bool = False) -> None:
    """(Re)build the derived tables: the figure index (metric_facts) and, with `fts`, DuckDB's
    FTS index on the search terms (for `fts_main_search_text.match_bm25` from the DuckDB CLI;
    `xdd search` does not need it). The search index itself is pipelines.search_index."""
    with _memory_limit(con, REBUILD_MEMORY_BYTES):
        queries.run_script(con, "build_metric_facts")
        if fts:
            build_fts_index(con)


# The rebuild's sorts spill to disk past this much memory, so its footprint stays put as the
# corpus grows.
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


def derived_ready(con: duckdb.DuckDBPyConnection) -> bool:
    return db.has_tables(con, "metric_facts", "metric_periods")


def fts_ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether DuckDB's FTS index exists (once built, every rebuild keeps it current)."""
    return con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'fts_main_search_text'").fetchone()[0] > 0


def drop_fts_index(con: duckdb.DuckDBPyConnection) -> None:
    if fts_ready(con):
        db.load_fts(con)
        con.execute("PRAGMA drop_fts_index('search_text')")
        con.execute("DROP TABLE IF EXISTS search_text")


# ------------------------------------------------------------------ queries
@dataclass
class ParsedQuery:
    """A query: the terms scored (syllables and bigrams of every positive word and phrase),
    the phrases required (as syllable lists) and what is excluded (syllable lists: a word or a
    phrase after `-`)."""
    terms: list[str]
    phrases: list[list[str]]
    excluded: list[list[str]]


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


MAX_QUERY_CHARS = 500     # a search box's query; longer input is refused, never worked through
MAX_QUERY_SYLLABLES = 64  # (a 100 KB query once took 34 s)


def parse_query(query: str) -> ParsedQuery:
    """`sinh hoạt "chi bộ" -Zalo -"nhóm chat"`: plain words are scored, a quoted phrase must
    occur (its words are scored too), a word or phrase after `-` must not occur. Terms are those
    of pipelines.textindex (tone-folded syllables, and bigrams within a run of plain words or
    within a phrase). A query over MAX_QUERY_CHARS characters or MAX_QUERY_SYLLABLES syllables is
    an InputError (one line), whatever it holds."""
    if not isinstance(query, str):
        raise InputError("the query must be text")
    if len(query) > MAX_QUERY_CHARS:
        raise InputError(f"the query is too long ({len(query):,} characters; at most {MAX_QUERY_CHARS})")
    if len(syllables(query)) > MAX_QUERY_SYLLABLES:
        raise InputError(f"the query has too many words (at most {MAX_QUERY_SYLLABLES})")
    segments: list[list[str]] = []
    phrases: list[list[str]] = []
    excluded: list[list[str]] = []
    run: list[str] = []
    for m in _TOKEN.finditer(query):
        minus, phrase, word = m.group(1), m.group(2), m.group(3)
        if phrase is not None or (word and word.startswith("-") and len(word) > 1):
            sylls = syllables(phrase if phrase is not None else word[1:])
            if minus or phrase is None:
                if sylls:
                    excluded.append(sylls)
                continue
            segments.append(run)
            run = []
            if sylls:
                phrases.append(sylls)
                segments.append(sylls)
            continue
        run += syllables(word)
    segments.append(run)
    terms = list(dict.fromkeys(t for seg in segments for t in with_bigrams(seg)))
    return ParsedQuery(terms=terms, phrases=phrases, excluded=excluded)


def search(con: duckdb.DuckDBPyConnection, query: str, filters: SearchFilters | None = None,
           limit: int = 10) -> list[SearchHit]:
    """The best `limit` units for `query` by the engine's BM25, ties by unit id. Everything a
    hit shows is read from the index (search_index.hit_json); DuckDB is asked only which index
    version is current and, with --province, the province's names."""
    return find(con, query, filters, limit).hits


@dataclass
class Found:
    """A search's hits, with the searcher and query that found them and, when asked for
    (`find(..., best=N)`), how many units match and the addresses of the best N (for counting
    facets: pipelines.web.queries.facets)."""
    hits: list[SearchHit]
    searcher: tantivy.Searcher | None = None
    query: SearchQuery | None = None
    total: int = 0
    best: list = field(default_factory=list)


def find(con: duckdb.DuckDBPyConnection, query: str, filters: SearchFilters | None = None, limit: int = 10,
         best: int = 0) -> Found:
    """search(), with the searcher and the query it ran; with `best`, also the number of
    matches and the best `best` of them, from the same search (one pass over the matches)."""
    filters = filters or SearchFilters()
    parsed = parse_query(query)
    if not parsed.terms:
        return Found([])
    opened = search_index.open_index(con)
    if opened is None:          # nothing loaded yet
        return Found([])
    searcher = opened.searcher
    q = build_query(parsed, _filter_values(con, filters))
    if q is None:
        return Found([])
    first, total = None, 0
    if best:                    # every match counted: no pruning
        n = max(best, limit + FIRST_FETCH)
        res = searcher.search(q.query, limit=n, count=True)
        first, total = (res.hits, n), int(res.count or 0)
    else:
        q, first = prune(searcher, q, opened, limit, limit + FIRST_FETCH)
    shown = [t for t in parsed.terms if "_" not in t]     # the words to highlight, not the excluded
    hits = [_hit(search_index.read_hit(searcher, a) | {"score": s}, shown)
            for s, a, _ in top_addresses(searcher, q, limit, first)]
    return Found(hits, searcher, q, total, [a for _, a in first[0][:best]] if first else [])


RECORD_FIELDS = search_index.RECORD_FIELDS


@dataclass
class SearchQuery:
    """A query as tantivy runs it (`query`), with its parts: the phrases and filters (MUST,
    scoring 0) and the exclusions (MUST_NOT), which also select the units of one content among
    the matches (`members`)."""
    query: tantivy.Query
    musts: list
    excluded: list
    terms: list[str] = field(default_factory=list)

    def members(self, content: int) -> tantivy.Query:
        """The units whose words are exactly `content`'s (search_index: key of their terms) that
        pass the phrases, filters and exclusions: they all score the same."""
        Q, O = tantivy.Query, tantivy.Occur
        return Q.boolean_query([(O.Must, Q.term_query(search_index.SCHEMA, "content", content)),
                                *((O.Must, m) for m in self.musts), *self.excluded])

    def without(self, contents: list[int]) -> tantivy.Query:
        """The query, leaving out the units of these contents."""
        Q, O = tantivy.Query, tantivy.Occur
        if len(contents) > 64:      # a term set reads the whole dictionary: for many contents only
            return Q.boolean_query([(O.Must, self.query),
                                    (O.MustNot, Q.term_set_query(search_index.SCHEMA, "content", contents))])
        return Q.boolean_query([(O.Must, self.query),
                                *((O.MustNot, Q.term_query(search_index.SCHEMA, "content", c)) for c in contents)])


def build_query(parsed: ParsedQuery, values: dict) -> SearchQuery | None:
    """The tantivy query: the terms' BM25 (SHOULD clauses), phrases and filters as MUST
    clauses scoring 0, exclusions as MUST_NOT. None when a filter can match nothing. Without
    phrases or filters the terms' clauses stand alone (a union: tantivy then skips the
    documents that cannot reach the top, block-max WAND), as the same scores."""
    schema = search_index.SCHEMA
    Q, O = tantivy.Query, tantivy.Occur
    should = [(O.Should, Q.term_query(schema, "terms", t)) for t in parsed.terms]
    musts = [Q.const_score_query(_sequence(sylls), 0.0) for sylls in parsed.phrases]
    for f in _filter_queries(values):
        if f is None:
            return None
        musts.append(Q.const_score_query(f, 0.0))
    excluded = [(O.MustNot, _sequence(sylls)) for sylls in parsed.excluded]
    if not musts:
        return SearchQuery(Q.boolean_query(should + excluded), musts, excluded, parsed.terms)
    # some term must match; the score is the terms' BM25 sum
    return SearchQuery(Q.boolean_query([(O.Must, Q.boolean_query(should)), *((O.Must, m) for m in musts), *excluded]),
                       musts, excluded, parsed.terms)


# ------------------------------------------------------------------ pruning (exact)
BOUND_MARGIN = 1e-3      # bounds raised, floors lowered by this share: float32 sums in another order
PRUNE_MAX_SHARE = 0.05   # pruning is tried when the query's rarest term is in at most this share of
                         # the units, and kept when the essential terms are in at most this share in
                         # all: denser candidates leave no block of the other terms' postings unread, so
                         # scoring them costs what scoring every match does (measured on the 100,000-
                         # article bench: 1% of the units scores 3-4x faster than all, 10% 1.2x)


def term_bounds(searcher: tantivy.Searcher, terms: list[str], term_max: dict) -> list[tuple[float, int, str]]:
    """(the best score a term gives any unit, raised by BOUND_MARGIN; its document frequency;
    the term), least first; terms no unit holds are left out (they add nothing). A term's best
    score is found by a search of the term alone, once per index version (`term_max`)."""
    out = []
    for t in terms:
        got = term_max.get(t)
        if got is None:
            n = searcher.doc_freq("terms", t)
            hits = searcher.search(tantivy.Query.term_query(search_index.SCHEMA, "terms", t), limit=1,
                                   count=False).hits if n else []
            got = term_max[t] = (hits[0][0] * (1 + BOUND_MARGIN), n) if hits else (0.0, 0)
        if got[1]:
            out.append((got[0], got[1], t))
    return sorted(out)


def restricted(q: SearchQuery, essential: list[str], rest: list[str]) -> SearchQuery:
    """`q` over the units holding one of the `essential` terms, scored as `q` scores them (the
    sum of every term's BM25: the essential ones required as one clause, the rest optional)."""
    Q, O = tantivy.Query, tantivy.Occur
    schema = search_index.SCHEMA
    ess = [Q.term_query(schema, "terms", t) for t in essential]
    required = ess[0] if len(ess) == 1 else Q.boolean_query([(O.Should, e) for e in ess])
    clauses = [(O.Must, required), *((O.Should, Q.term_query(schema, "terms", t)) for t in rest),
               *((O.Must, m) for m in q.musts), *q.excluded]
    return SearchQuery(Q.boolean_query(clauses), q.musts, q.excluded, essential + rest)


def prune(searcher: tantivy.Searcher, q: SearchQuery, opened: search_index.OpenIndex, limit: int,
          n: int) -> tuple[SearchQuery, tuple[list, int] | None]:
    """A query with the same best `limit` units and scores as `q`, over fewer units (the
    MaxScore argument). A unit's score is at most the sum of its terms' best scores
    (term_bounds). The units holding the query's rarest term, scored on every term, give a
    `floor` that the limit-th best unit reaches; a unit holding only terms whose best scores sum
    below the floor cannot reach it, so the query needs only the units holding one of the other
    ("essential") terms, and keeps every unit scoring the floor or more (ties at the cut are
    settled alike). Returns the query and, when the rarest term alone is essential, the hits of
    its search (top_addresses' `first`, `n` asked for); `q` itself when pruning would not pay."""
    bounds = term_bounds(searcher, q.terms, opened.term_max)
    if len(bounds) < 2 or bounds[-1][1] > PRUNE_MAX_SHARE * opened.max_doc:
        return q, None
    terms = [t for _, _, t in bounds]
    first = restricted(q, terms[-1:], terms[:-1])
    hits = searcher.search(first.query, limit=n, count=False).hits
    if len(hits) < limit:
        return q, None
    floor = hits[limit - 1][0] * (1 - BOUND_MARGIN)
    # the fewest rarest terms whose complement's best scores sum below the floor
    total, k = 0.0, 0
    while k < len(bounds) and total + bounds[k][0] < floor:
        total += bounds[k][0]
        k += 1
    if k == len(bounds) - 1:
        return first, (hits, n)
    if k == 0 or k == len(bounds):      # (all terms below the floor: float rounding, never pruned)
        return q, None
    if sum(b[1] for b in bounds[k:]) > PRUNE_MAX_SHARE * opened.max_doc:
        return q, None
    return restricted(q, terms[k:], terms[:k]), None


def _sequence(sylls: list[str]) -> tantivy.Query:
    """The units holding these syllables in a row. A text's bigrams follow its syllables, in
    order (bigram i joins syllables i and i + 1), so syllables s1..sk in a row are bigrams
    s1_s2..s(k-1)_sk in a row: one term for two syllables, a phrase of rarer terms for more."""
    if len(sylls) == 1:
        return tantivy.Query.term_query(search_index.SCHEMA, "terms", sylls[0])
    bigrams = [f"{a}_{b}" for a, b in zip(sylls, sylls[1:])]
    if len(bigrams) == 1:
        return tantivy.Query.term_query(search_index.SCHEMA, "terms", bigrams[0])
    return tantivy.Query.phrase_query(search_index.SCHEMA, "terms", bigrams)


def _filter_queries(v: dict) -> list[tantivy.Query | None]:
    schema, Q = search_index.SCHEMA, tantivy.Query
    out: list[tantivy.Query | None] = []
    def one_of(field: str, values: list[str]):
        out.append(Q.term_set_query(schema, field, values) if values else None)
    for name in ("kind", "source", "category", "document"):
        if v[name]:
            out.append(Q.term_query(schema, name, v[name]))
    if v["provinces"] is not None:
        one_of("province", v["provinces"])
    if v["provinces_2025"] is not None:
        one_of("province_2025", v["provinces_2025"])
    if v["since"] or v["until"]:
        out.append(Q.range_query(schema, "day", tantivy.FieldType.Integer,
                                 search_index.day_number(v["since"]) if v["since"] else -(2 ** 62),
                                 search_index.day_number(v["until"]) if v["until"] else 2 ** 62))
    if v["district"] is not None:
        out.append(Q.regex_query(schema, "place", ".*" + search_index.literal_regex(fold(v["district"])) + ".*"))
    return out


MAX_TIED = 10_000     # units fetched at most to break ties at the cut by unit id
FIRST_FETCH = 640     # units fetched beyond the cut at first: most ties at the cut fit in them
TIE_REL = 1e-5        # scores this close are equal: float32 sums of the same terms in another order
MAX_ROUNDS = 4        # searches leaving out the contents tied at the cut, at most


def top_hits(searcher: tantivy.Searcher, q: SearchQuery, limit: int) -> list[dict]:
    """The best `limit` units (their stored fields, with "score"), best first, ties by unit id."""
    return [search_index.read_hit(searcher, a) | {"score": s} for s, a, _ in top_addresses(searcher, q, limit)]


def top_addresses(searcher: tantivy.Searcher, q: SearchQuery, limit: int,
                  first: tuple[list, int] | None = None) -> list[tuple[float, object, str | None]]:
    """(score, address, unit id or None) of the best `limit` units, best first, ties by unit id.

    One search fetches FIRST_FETCH units beyond the cut. The units tied with the last one kept
    (equal scores, within float rounding) are ordered by their ids' first bytes (the fast
    field `order`) and, where those are equal, by the ids themselves (read from the stored
    hits). When the tie goes on past the units fetched (many copies of one passage, say), see
    _wide_tie. `first`: the hits of a search of this query already made (best first) and the
    number it asked for, if more than `limit`."""
    if first is not None and first[1] > limit:
        hits, n = first
    else:
        n = limit + FIRST_FETCH
        hits = searcher.search(q.query, limit=n, count=False).hits
    if len(hits) > limit and _tied(hits[limit][0], hits[limit - 1][0]):
        cut = hits[limit - 1][0]
        if len(hits) == n and _tied(hits[-1][0], cut):
            hits = _wide_tie(searcher, q, hits, cut, limit)
        else:
            hits = [h for h in hits if h[0] > cut or _tied(h[0], cut)]
    else:
        hits = hits[:limit]
    groups = _groups([s for s, _ in hits])
    if len(set(groups)) == len(hits):            # no ties at all
        return [(s, a, None) for s, a in hits]
    orders = searcher.fast_field_values("order", [a for _, a in hits])
    ranked = sorted(zip(groups, orders, range(len(hits))))
    # units sharing (group, order) where the cut falls, or among those kept: their ids decide
    ids: dict[int, str] = {}
    keys = [(g, o) for g, o, _ in ranked]
    counts = Counter(keys)
    shared = {k for k in keys[:limit] if counts[k] > 1}
    for g, o, i in ranked:
        if (g, o) in shared:
            ids[i] = search_index.read_hit(searcher, hits[i][1])["unit_id"]
    ranked.sort(key=lambda t: (t[0], t[1], ids.get(t[2], "")))
    return [(hits[i][0], hits[i][1], ids.get(i)) for _, _, i in ranked[:limit]]


def _wide_tie(searcher: tantivy.Searcher, q: SearchQuery, hits: list, cut: float, limit: int) -> list:
    """The units scoring more than `cut`, and enough of those tied with it, when more are tied
    than one search fetched: units with the same words (the index's `content` key) score the
    same, so the tie is the contents seen tied at the cut, whose units are fetched by unit
    order (`SearchQuery.members`: no scoring), and whatever else ties, found by searching
    again without those contents (until a search's tie ends before its last unit). Falls back
    to fetching MAX_TIED units after MAX_ROUNDS searches."""
    above = [h for h in hits if h[0] > cut and not _tied(h[0], cut)]
    need = limit - len(above)
    n = limit + FIRST_FETCH
    tail = [h for h in hits if _tied(h[0], cut)]
    score_of: dict[int, float] = {}
    others: list = []
    for _ in range(MAX_ROUNDS):
        for c, (s, _) in zip(searcher.fast_field_values("content", [a for _, a in tail]), tail):
            score_of.setdefault(int(c), s)
        rest = searcher.search(q.without(list(score_of)), limit=n, count=False).hits
        tail = [h for h in rest if _tied(h[0], cut)]
        if len(rest) < n or not tail or not _tied(rest[-1][0], cut):
            others = tail
            break
    else:
        hits = searcher.search(q.query, limit=MAX_TIED, count=False).hits
        return [h for h in hits if h[0] > cut or _tied(h[0], cut)]
    out = above + others
    for content, score in score_of.items():
        out += [(score, a) for _, a in _first_members(searcher, q.members(content), need)]
    out.sort(key=lambda h: -h[0])
    return out


def _first_members(searcher: tantivy.Searcher, members: tantivy.Query, need: int) -> list:
    """The `need` units of `members` first by unit order, and any sharing the last one's order
    (their ids decide between them)."""
    k = need + 8
    while True:
        got = searcher.search(members, limit=k, count=False, order_by_field="order", order=tantivy.Order.Asc).hits
        if not got:
            return []
        last = got[min(need, len(got)) - 1][0]          # the need-th unit's order
        if len(got) < k or got[-1][0] != last or k >= MAX_TIED:
            return [h for h in got if h[0] <= last]
        k = min(MAX_TIED, k * 4)


def _tied(score: float, cut: float) -> bool:
    return abs(score - cut) <= TIE_REL * max(abs(cut), 1e-9)


def _groups(scores: list[float]) -> list[int]:
    """Scores (best first) numbered by group of equal ones (each within TIE_REL of its group's first)."""
    out, g, first = [], -1, None
    for s in scores:
        if first is None or not _tied(s, first):
            g, first = g + 1, s
        out.append(g)
    return out


def _filter_values(con, f: SearchFilters) -> dict:
    """The filters as the index holds them (a province resolved to its names as reported or
    after 2025, a document key in catalog form)."""
    provinces, provinces_2025 = resolve_province(con, f.province, f.merged) if f.province else (None, None)
    return {"kind": f.kind, "source": f.source, "since": f.since, "until": f.until, "provinces": provinces,
            "provinces_2025": provinces_2025, "category": f.category,
            "document": document_key(f.document) if f.document else None, "district": f.district}


def best_sentence(sents: list[tuple[int, int, str]], query: str | list[str], folded: str | None = None) -> tuple[int, int, str]:
    """The sentence holding the most query syllables (phrase occurrences count double), the
    first of equals. `folded`: fold() of the text the spans index, when it kept its length
    (then sentences are folded once, as one text). `query`: text, or its syllables."""
    q = syllables(query) if isinstance(query, str) else query
    phrase = " ".join(q)
    def score(item):
        s, e, sentence = item
        part = folded[s:e] if folded is not None else fold(sentence)
        if not any(w in part for w in q):
            return 0
        words = SYLLABLE.findall(part)
        present = set(words)
        return sum(w in present for w in q) + (2 * len(q) if phrase and phrase in " ".join(words) else 0)
    return max(sents, key=score) if sents else (0, 0, "")


_WORD = re.compile(r"\w+")


def highlight(text: str, query: str | list[str], mark: tuple[str, str] = ("«", "»"), folded: str | None = None) -> str:
    """Wrap each word of `text` whose folded form is a query syllable. `query`: text, or its
    syllables; `folded`: fold(text), if known."""
    q = set(syllables(query) if isinstance(query, str) else query)
    folded = fold(text) if folded is None else folded
    if len(folded) != len(text):            # folding changed lengths: fold word by word
        folded = None
    out, last = [], 0
    for m in _WORD.finditer(text):
        s, e = m.span()
        if (folded[s:e] if folded is not None else fold(m.group(0))) in q:
            out += [text[last:s], mark[0], text[s:e], mark[1]]
            last = e
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def article_sentences(text: str) -> list[tuple[int, int, str]]:
    return [(s, e, text[s:e]) for s, e in split_sentences(text)]


def _hit(h: dict, query: list[str]) -> SearchHit:
    """A result from a unit's stored fields (search_index.hit_json) and the query's syllables."""
    text = h["text"] or ""
    if h["kind"] == "practice":            # the stored text is the passage itself
        s, e, sentence = h["start"], h["end"], text
    else:
        folded = h["folded"] if "folded" in h else fold(text)
        if folded is not None and len(folded) != len(text):
            folded = None
        spans = h.get("sents")
        sents = [(a, b, text[a:b]) for a, b in zip(spans[::2], spans[1::2])] if spans is not None \
            else article_sentences(text)
        s, e, sentence = best_sentence(sents, query, folded)
    record = h.get("record")
    marked = highlight(sentence, query, folded=folded[s:e] if h["kind"] != "practice" and folded is not None else None)
    return SearchHit(kind=h["kind"], doc_id=h["doc_id"], title=h["title"] or "", published=h["published"],
                     province=h["province"], province_2025=h["province_2025"], district=h["district"],
                     category=h["category"], sentence=sentence, start=s, end=e,
                     highlighted=marked, url=h["url"] or "", score=round(h["score"], 4),
                     extras={k: record.get(k) for k in RECORD_FIELDS} if record else {})
