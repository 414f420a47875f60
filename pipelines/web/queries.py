"""The web pages' own reads (every value bound, never pasted): corpus counts, search facets, an
article's facts, the indicators present. The rest comes from the CLI's library functions."""
from __future__ import annotations

import csv
from functools import lru_cache

import duckdb

from nlp.resources import REPO_ROOT
from pipelines import search as search_mod, search_index
from pipelines.places import resolve_province
from pipelines.search import SearchFilters
from pipelines.textindex import document_key

FACET_CAP = 5000          # facets count the best this many matching units


def rows(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def one(cur) -> dict | None:
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    return dict(zip(names, row)) if row else None


# ------------------------------------------------------------------ landing
def corpus_counts(con: duckdb.DuckDBPyConnection) -> dict:
    out = one(con.execute(
        "SELECT count(*) AS articles, count(DISTINCT source) AS sources, count(DISTINCT province) AS provinces, "
        "count(DISTINCT province_2025) AS provinces_2025, CAST(min(published) AS VARCHAR) AS first, "
        "CAST(max(published) AS VARCHAR) AS last FROM articles WHERE duplicate_of IS NULL"))
    out.update(one(con.execute(
        "SELECT (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL) AS copies, "
        "(SELECT count(*) FROM metrics m JOIN articles a USING (doc_id) WHERE a.duplicate_of IS NULL) AS figures, "
        "(SELECT count(*) FROM practices p JOIN articles a USING (doc_id) WHERE a.duplicate_of IS NULL) AS practices, "
        "(SELECT count(DISTINCT d.key) FROM directives d JOIN articles a USING (doc_id) "
        " WHERE a.duplicate_of IS NULL AND d.key IS NOT NULL) AS documents")))
    return out


def top_documents(con: duckdb.DuckDBPyConnection, limit: int = 8) -> list[dict]:
    return rows(con.execute(
        "SELECT d.key, any_value(c.title) AS title, count(DISTINCT d.doc_id) AS articles "
        "FROM directives d JOIN articles a USING (doc_id) LEFT JOIN documents c ON c.key = d.key "
        "WHERE a.duplicate_of IS NULL AND d.key IS NOT NULL GROUP BY d.key ORDER BY articles DESC, d.key LIMIT ?",
        [limit]))


def sources(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return rows(con.execute("SELECT source, count(*) AS n FROM articles WHERE duplicate_of IS NULL "
                            "GROUP BY source ORDER BY n DESC, source"))


# ------------------------------------------------------------------ search facets
def filter_values(con, f: SearchFilters) -> dict:
    """The filters as the index holds them (as pipelines.search does)."""
    provinces, provinces_2025 = resolve_province(con, f.province, f.merged) if f.province else (None, None)
    return {"kind": f.kind, "source": f.source, "since": f.since, "until": f.until, "provinces": provinces,
            "provinces_2025": provinces_2025, "category": f.category,
            "document": document_key(f.document) if f.document else None, "district": f.district}


def matching_units(con, query: str, f: SearchFilters, cap: int = FACET_CAP) -> tuple[int, list[int]]:
    """(how many units match, the unit keys of the best `cap` of them) for the facets."""
    parsed = search_mod.parse_query(query)
    if not parsed.terms:
        return 0, []
    searcher = search_index.open_searcher(con)
    if searcher is None:
        return 0, []
    q = search_mod.build_query(parsed, filter_values(con, f))
    if q is None:
        return 0, []
    res = searcher.search(q, limit=cap, count=True)
    keys = searcher.fast_field_values("unit_key", [a for _, a in res.hits]) if res.hits else []
    return int(res.count or 0), [int(k) for k in keys]


# One pass over the units for every facet: (facet, group, value, n); a province's group is its
# post-2025 province; an article counts under the categories of its practices.
FACETS_SQL = """
WITH u AS (SELECT unit_key, doc_id, kind, province, province_2025, category FROM search_units
           WHERE unit_key = ANY($units::BIGINT[])),
ua AS (SELECT u.unit_key, a.source, CAST(year(a.published) AS VARCHAR) AS yr FROM u JOIN articles a USING (doc_id))
SELECT 'province' AS facet, coalesce(province_2025, province) AS grp, province AS value, count(*) AS n
FROM u WHERE province IS NOT NULL GROUP BY ALL
UNION ALL SELECT 'kind', NULL, kind, count(*) FROM u GROUP BY ALL
UNION ALL SELECT 'source', NULL, source, count(*) FROM ua WHERE source IS NOT NULL GROUP BY ALL
UNION ALL SELECT 'year', NULL, yr, count(*) FROM ua WHERE yr IS NOT NULL GROUP BY ALL
UNION ALL SELECT 'category', NULL, value, count(DISTINCT unit_key) FROM (
    SELECT unit_key, category AS value FROM u WHERE kind = 'practice'
    UNION ALL SELECT u.unit_key, p.category FROM u JOIN practices p USING (doc_id) WHERE u.kind = 'article')
  WHERE value IS NOT NULL GROUP BY ALL
UNION ALL SELECT 'document', NULL, d.key, count(DISTINCT u.unit_key) FROM u JOIN directives d USING (doc_id)
  WHERE d.key IS NOT NULL GROUP BY ALL
"""
FACET_LIMIT = 15          # values shown per facet (documents, sources); provinces and years all


def facets(con, units: list[int]) -> dict:
    """Counts per province (old names grouped under their post-2025 province), category,
    document, source, year and kind over the given units."""
    if not units:
        return {}
    out: dict[str, list] = {"province": [], "category": [], "document": [], "source": [], "year": [], "kind": []}
    grouped: dict[str, dict] = {}
    for facet, grp, value, n in con.execute(FACETS_SQL, {"units": units}).fetchall():
        if facet == "province":
            g = grouped.setdefault(grp, {"value": grp, "n": 0, "children": []})
            g["n"] += n
            g["children"].append({"value": value, "n": n})
        else:
            out[facet].append({"value": value, "n": n})
    for g in grouped.values():
        g["children"].sort(key=lambda c: (-c["n"], c["value"]))
    out["province"] = sorted(grouped.values(), key=lambda g: (-g["n"], g["value"]))
    for name in ("category", "document", "source", "kind"):
        out[name].sort(key=lambda r: (-r["n"], r["value"]))
    out["document"] = out["document"][:FACET_LIMIT]
    out["source"] = out["source"][:FACET_LIMIT]
    out["year"].sort(key=lambda r: r["value"], reverse=True)
    return out


def actors(con, spans: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The actor (party body) of each practice named by (doc_id, start)."""
    if not spans:
        return {}
    rows_ = con.execute("SELECT doc_id, start, actor FROM practices WHERE doc_id = ANY($docs::VARCHAR[]) "
                        "AND actor IS NOT NULL", {"docs": sorted({d for d, _ in spans})}).fetchall()
    want = set(spans)
    return {(d, s): a for d, s, a in rows_ if (d, s) in want}


# ------------------------------------------------------------------ one article
ARTICLE_SQL = ("SELECT doc_id, source, url, canonical_url, title, lead, author, CAST(published AS VARCHAR) AS published, "
               "published_precision, CAST(fetched_at AS VARCHAR) AS fetched_at, duplicate_of, province, province_2025, "
               "text, content_hash FROM articles WHERE doc_id = ?")


def article(con, doc_id: str) -> dict | None:
    return one(con.execute(ARTICLE_SQL, [doc_id]))


def article_facts(con, doc_id: str) -> dict:
    q = {
        "mentions": "SELECT label, text, start, \"end\", norm, province, province_2025, level FROM mentions "
                    "WHERE doc_id = ? ORDER BY start",
        "documents": "SELECT d.text, d.start, d.\"end\", d.kind, d.number, d.issuer, d.key, d.term, "
                     "CAST(d.date AS VARCHAR) AS date, c.title FROM directives d LEFT JOIN documents c ON c.key = d.key "
                     "WHERE d.doc_id = ? ORDER BY d.start",
        "figures": "SELECT text, start, \"end\", value, unit, qualifier, indicator, indicator_key, subject, locality, "
                   "locality_2025, period, period_source, scope, measure FROM metrics WHERE doc_id = ? ORDER BY start",
        "practices": "SELECT start, \"end\", category, actor, commune, district, province, province_2025, "
                     "documents, \"time\" FROM practices WHERE doc_id = ? ORDER BY start",
        "places": "SELECT text, start, \"end\", name, level, province, province_2025 FROM places "
                  "WHERE doc_id = ? ORDER BY start",
    }
    return {name: rows(con.execute(sql, [doc_id])) for name, sql in q.items()}


def copies_of(con, doc_id: str) -> list[dict]:
    return rows(con.execute("SELECT doc_id, source, url, title FROM articles WHERE duplicate_of = ? ORDER BY doc_id",
                            [doc_id]))


# ------------------------------------------------------------------ indicators
@lru_cache(maxsize=1)
def indicator_labels() -> dict[str, str]:
    out: dict[str, str] = {}
    path = REPO_ROOT / "data" / "reference" / "indicators.csv"
    try:
        with open(path, encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                out.setdefault(r["key"], r.get("label") or r["synonym"])
    except OSError:
        pass
    return out


def indicator_label(key: str | None) -> str:
    return indicator_labels().get(key or "", (key or "").replace("_", " "))


_PICKER: dict = {}


def indicators(con, measure: str | None, scope: str | None, unit: str | None, version=None) -> list[dict]:
    """The indicators with figures of the chosen series (None: any), most figures first;
    remembered per `version` of the database (its file's identity and time: a load changes it)."""
    key = (version, measure, scope, unit)
    if version is not None and key in _PICKER:
        return [dict(r) for r in _PICKER[key]]
    out = _indicators(con, measure, scope, unit)
    if version is not None:
        if len(_PICKER) > 256:
            _PICKER.clear()
        _PICKER[key] = out
    return [dict(r) for r in out]


def _indicators(con, measure, scope, unit) -> list[dict]:
    if not db_ready(con):
        return []
    out = rows(con.execute(
        "SELECT coalesce(base_key, indicator_key) AS key, count(*) AS n, count(DISTINCT province) AS provinces "
        "FROM metric_facts WHERE coalesce(base_key, indicator_key) IS NOT NULL AND value IS NOT NULL "
        "AND url IS NOT NULL AND period IS NOT NULL AND ($measure IS NULL OR measure = $measure) "
        "AND ($scope IS NULL OR scope = $scope) AND ($unit IS NULL OR unit = $unit) "
        "GROUP BY 1 ORDER BY n DESC, key", {"measure": measure, "scope": scope, "unit": unit}))
    for r in out:
        r["label"] = indicator_label(r["key"])
    return out


def db_ready(con) -> bool:
    from pipelines import db

    return db.has_tables(con, "metric_facts", "metric_periods")
