"""The web pages' own reads (every value bound, never pasted): corpus counts, search facets, an
article's facts, the indicators present. The rest comes from the CLI's library functions."""
from __future__ import annotations

import csv
from functools import lru_cache

import duckdb
import tantivy

from nlp.resources import REPO_ROOT
from pipelines import search_index


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


def sources(con: duckdb.DuckDBPyConnection, version=None) -> list[dict]:
    """The sources with their numbers of articles; remembered per `version` of the database
    (as the indicator picker is)."""
    key = ("sources", version)
    if version is not None and key in _PICKER:
        return [dict(r) for r in _PICKER[key]]
    out = rows(con.execute("SELECT source, count(*) AS n FROM articles WHERE duplicate_of IS NULL "
                           "GROUP BY source ORDER BY n DESC, source"))
    if version is not None:
        if len(_PICKER) > 256:
            _PICKER.clear()
        _PICKER[key] = out
    return [dict(r) for r in out]


# ------------------------------------------------------------------ search facets
FACET_CAP = 5000          # facets count the best this many matching units
# Every facet counted by tantivy (terms aggregations on the index's fast fields: no document is
# read); a province's old names are counted under its post-2025 one.
_ALL = 65_000
FACET_AGGS = {"kind": {"terms": {"field": "kind", "size": _ALL}},
              "province": {"terms": {"field": "province", "size": _ALL},
                           "aggs": {"merged": {"terms": {"field": "province_2025", "size": _ALL}}}},
              "source": {"terms": {"field": "source", "size": _ALL}},
              "year": {"terms": {"field": "year", "size": _ALL}},
              "category": {"terms": {"field": "category", "size": _ALL}},
              "document": {"terms": {"field": "document", "size": _ALL}}}
FACET_LIMIT = 15          # values shown per facet (documents, sources); provinces and years all


def facets(found) -> dict:
    """Counts per province (old names grouped under their post-2025 province), category (an
    article counts under its practices' categories), document, source, year and kind over the
    best FACET_CAP units a search matched (pipelines.search.find with best=FACET_CAP; all of
    them when there are no more): tantivy's terms aggregations over the index's fast fields,
    nothing read from DuckDB."""
    if not found.best:
        return {}
    if found.total <= len(found.best):
        agg = found.searcher.aggregate(found.query.query, FACET_AGGS)
    else:
        keys = found.searcher.fast_field_values("unit_key", found.best)
        agg = found.searcher.aggregate(tantivy.Query.term_set_query(search_index.SCHEMA, "unit_key", keys), FACET_AGGS)
    def buckets(name):
        return [(b["key"], int(b["doc_count"])) for b in agg.get(name, {}).get("buckets", [])]
    out: dict[str, list] = {name: [{"value": v, "n": n} for v, n in buckets(name)]
                            for name in ("category", "document", "source", "kind")}
    out["year"] = [{"value": str(int(v)), "n": n} for v, n in buckets("year")]
    grouped: dict[str, dict] = {}
    for b in agg.get("province", {}).get("buckets", []):
        value, n = b["key"], int(b["doc_count"])
        parts = [(m["key"], int(m["doc_count"])) for m in b.get("merged", {}).get("buckets", [])]
        parts.append((value, n - sum(k for _, k in parts)))       # no post-2025 name: its own
        for grp, k in parts:
            if k > 0:
                g = grouped.setdefault(grp, {"value": grp, "n": 0, "children": []})
                g["n"] += k
                g["children"].append({"value": value, "n": k})
    for g in grouped.values():
        g["children"].sort(key=lambda c: (-c["n"], c["value"]))
    out["province"] = sorted(grouped.values(), key=lambda g: (-g["n"], g["value"]))
    for name in ("category", "document", "source", "kind"):
        out[name].sort(key=lambda r: (-r["n"], r["value"]))
    out["document"] = out["document"][:FACET_LIMIT]
    out["source"] = out["source"][:FACET_LIMIT]
    out["year"].sort(key=lambda r: r["value"], reverse=True)
    return out


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
