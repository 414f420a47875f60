"""Turning one (article, extraction) pair into rows of the knowledge-base tables. Pure."""
from __future__ import annotations

import hashlib
import io
import pickle
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import polars as pl

from nlp import gazetteer
from nlp.text import fold
from nlp.sentences import split_sentences
from pipelines.series import base_key, indicator_key
from pipelines.textindex import key64, n_terms

ARTICLE_FIELDS = ("doc_id", "source", "url", "canonical_url", "site_article_id", "title", "lead",
                  "lead_tag", "author", "published", "published_precision", "tags", "text",
                  "fetched_at", "content_hash", "simhash", "duplicate_of", "raw_path",
                  "extraction_hash")


def article_row(art: dict, ext: dict | None, loaded_at: datetime) -> dict:
    row = {k: art.get(k) for k in ARTICLE_FIELDS}
    row["tags"] = [str(t) for t in (art.get("tags") or [])]
    row["simhash"] = None if art.get("simhash") is None else str(art["simhash"])
    province = (ext or {}).get("province") or art.get("province")
    row["province"] = province
    row["province_2025"] = merged(province)
    row["loaded_at"] = loaded_at
    return row


@lru_cache(maxsize=4096)
def merged(province: str | None) -> str | None:
    """The province after the 2025 merger (the name itself when it was not merged or is unknown)."""
    if not province:
        return None
    return gazetteer.merged_province(province) or province


def sentence_rows(doc_id: str, text: str, spans: list | None = None) -> list[dict]:
    """Sentences of a text: the extraction's spans when it has them, else split here."""
    if not _valid_spans(spans, len(text)):
        spans = split_sentences(text)
    return [{"doc_id": doc_id, "sent_id": i, "start": s, "end": e} for i, (s, e) in enumerate(spans)]


def _valid_spans(spans, size: int) -> bool:
    if not isinstance(spans, list) or not spans:
        return False
    try:
        return all(0 <= s < e <= size for s, e in spans)
    except (TypeError, ValueError):
        return False


def mention_rows(doc_id: str, ext: dict) -> list[dict]:
    return [{**e, "doc_id": doc_id} for e in ext.get("entities", [])]


def place_rows(doc_id: str, ext: dict) -> list[dict]:
    rows = []
    for e in ext.get("entities", []):
        if e.get("label") == "LOC" or (e.get("label") == "ORG" and e.get("province")):
            rows.append({"doc_id": doc_id, "text": e["text"], "start": e["start"], "end": e["end"],
                         "name": e.get("norm") or e["text"], "level": e.get("level") or ("body" if e["label"] == "ORG" else None),
                         "province": e.get("province"), "province_2025": e.get("province_2025") or merged(e.get("province"))})
    return rows


def directive_rows(doc_id: str, ext: dict) -> list[dict]:
    return [{**d, "doc_id": doc_id} for d in ext.get("directives", [])]


# Contract v2: the level of the unit a figure is about, and the kind of quantity it is.
SCOPES = ("country", "province", "district", "commune", "organization")
MEASURES = ("total", "new", "inspected", "disciplined", "rated", "trained", "awarded", "other")


def metric_rows(doc_id: str, ext: dict, published: str | None) -> list[dict]:
    """Figures of one extraction; `scope` and `measure` missing (a v1 extraction) or unknown
    are null, a figure without a period takes the publication year."""
    rows = []
    for m in ext.get("metrics", []):
        row = {**m, "doc_id": doc_id, "locality_2025": merged(m.get("locality")),
               "province_scope": is_province_scope(m.get("subject"), m.get("locality")),
               "scope": _one_of(m.get("scope"), SCOPES), "measure": _one_of(m.get("measure"), MEASURES)}
        row.setdefault("indicator_key", indicator_key(m.get("indicator")))
        row["base_key"] = base_key(m.get("indicator"), row["measure"]) or row["indicator_key"]
        if m.get("period"):
            row["period_source"] = m.get("period_source") or "text"
        elif published:
            row["period"], row["period_source"] = str(published)[:4], "published"
        rows.append(row)
    return rows


def _one_of(value, allowed: tuple[str, ...]) -> str | None:
    """`value` as one of `allowed` (case and spaces aside), else None."""
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    return value if value in allowed else None


_PROVINCE_SCOPE = ("tinh", "toan tinh", "thanh pho", "toan thanh pho", "tinh uy", "thanh uy", "dang bo tinh",
                   "dang bo thanh pho")


@lru_cache(maxsize=65536)
def is_province_scope(subject: str | None, province: str | None) -> bool:
    """Whether a figure is about a whole province/city rather than a ward or a branch."""
    if not subject:
        return False
    s = fold(subject)
    p = fold(province or "")
    if p and s in (p, f"tinh {p}", f"thanh pho {p}", f"tp {p}"):
        return True
    if any(w in s for w in ("phuong", "xa ", "huyen", "quan ", "chi bo", "thi xa", "thi tran")):
        return False
    return any(s.startswith(k) or s == k for k in _PROVINCE_SCOPE)


MERGER_DATE = "2025-07-01"


def practice_rows(doc_id: str, ext: dict, published: str | None = None, text: str | None = None) -> list[dict]:
    """Practice records: the passage and its category, with its actor, place (commune, district
    and province, named as at the article's date, and the province after 2025), the documents
    it carries out, its outcome figures (offsets of metrics rows of the same article) and its
    time, as the extraction gives them (nlp/practice_records.py); lookup keys folded with
    nlp.text.fold. An extraction without records (contract v1) gives the province and district
    of the entities, as before."""
    ents = ext.get("entities", [])
    after_merger = bool(published) and str(published)[:10] >= MERGER_DATE
    rows = []
    for p in ext.get("practices", []):
        place = p.get("place") if isinstance(p.get("place"), dict) else {}
        inside = [e for e in ents if p["start"] <= e["start"] < p["end"] and e.get("province")]
        province = ext.get("province")
        if place.get("province"):
            province = (after_merger and place.get("province_2025")) or place["province"]
        elif inside:
            province = (after_merger and inside[0].get("province_2025")) or inside[0]["province"]
        province_2025 = (place.get("province") and place.get("province_2025")) or merged(province)
        level = place.get("level") if place.get("level") in PLACE_LEVELS else None
        commune = place.get("name") if level == "commune" else None
        district = place.get("name") if level == "district" else _district(ents, p, text, place)
        actor = p.get("actor") if isinstance(p.get("actor"), dict) else {}
        outcome = [o for o in p.get("outcome") or [] if isinstance(o, dict) and _offsets(o)]
        rows.append({"doc_id": doc_id, "text": p.get("text"), "start": p["start"], "end": p["end"],
                     "category": p.get("category"), "score": p.get("score"),
                     "province": province, "province_2025": province_2025, "district": district,
                     "commune": commune, "place_name": place.get("name"), "place_level": level,
                     "actor": actor.get("text"), "actor_norm": actor.get("norm") or actor.get("text"),
                     "actor_start": actor.get("start"), "actor_end": actor.get("end"),
                     "documents": [str(k) for k in p.get("documents") or [] if k],
                     "outcome_start": [o["start"] for o in outcome], "outcome_end": [o["end"] for o in outcome],
                     "time": None if p.get("time") is None else str(p["time"]),
                     "actor_key": _key(actor.get("norm") or actor.get("text")), "commune_key": _key(commune),
                     "district_key": _key(district), "passage_key": _key(p.get("text"))})
    return rows


PLACE_LEVELS = ("commune", "district", "province")
_WORDS = re.compile(r"[\w%]+")    # `_` and `%` are kept: a user's `_` or `%` is literal


def _key(name: str | None) -> str | None:
    """The lookup key of a name or passage: its words folded (nlp.text.fold), one space apart."""
    return " ".join(_WORDS.findall(fold(name))) or None if name else None


def _offsets(item: dict) -> bool:
    s, e = item.get("start"), item.get("end")
    return isinstance(s, int) and isinstance(e, int) and 0 <= s < e


def _district(ents: list[dict], practice: dict, text: str | None = None, place: dict | None = None) -> str | None:
    """The district a practice is in: one named in the passage, else in its paragraph; for a
    commune, else the article's only district. Without the text (or a place): the first
    district of the passage or the article, as before."""
    levels = [e for e in ents if e.get("level") == "district"]
    inside = [e for e in levels if practice["start"] <= e["start"] < practice["end"]]
    if text is None or not place:
        pick = inside or levels
    else:
        a = text.rfind("\n", 0, practice["start"]) + 1
        b = text.find("\n", practice["end"])
        b = len(text) if b < 0 else b
        names = {e.get("norm") or e["text"] for e in levels}
        pick = inside or [e for e in levels if a <= e["start"] < b] \
            or (levels if place.get("level") == "commune" and len(names) == 1 else [])
    return (pick[0].get("norm") or pick[0]["text"]) if pick else None


def search_rows(art: dict, province: str | None, practices: list[dict]) -> list[dict]:
    """Search units: the article and each practice, with their index terms and a unit_key that
    is new for each version of the article (content and extraction hashes)."""
    head = " ".join(filter(None, [art.get("title"), art.get("lead")]))
    version = f"{art.get('content_hash')}|{art.get('extraction_hash')}"
    rows = [_unit(f"a:{art['doc_id']}", art["doc_id"], "article", None, None, f"{head}\n{art['text']}",
                  version, province=province, province_2025=merged(province), category=None, district=None)]
    for p in practices:
        rows.append(_unit(f"p:{art['doc_id']}:{p['start']}", art["doc_id"], "practice", p["start"], p["end"],
                          p["text"], version, province=p["province"], province_2025=p["province_2025"],
                          category=p.get("category"), district=p.get("district")))
    return rows


def _unit(unit_id: str, doc_id: str, kind: str, start, end, text: str, version: str, **place) -> dict:
    """A unit row; its terms are filled in for the whole batch at once (index_units)."""
    return {"unit_id": unit_id, "unit_key": key64(f"{unit_id}|{version}"), "doc_id": doc_id, "kind": kind,
            "start": start, "end": end, "text": text, **place}


def index_units(units: pl.DataFrame, texts: list[str]) -> pl.DataFrame:
    """The units with their number of terms (syllables and bigrams: their length for BM25;
    the terms themselves are indexed by pipelines.search_index)."""
    return units.with_columns(pl.Series("n_terms", [n_terms(t) for t in texts], dtype=pl.Int32))


TABLES = ("articles", "sentence_spans", "mentions", "directives", "metrics", "practices", "places", "search_units")


def rows_for_batch(pairs: list[tuple[dict, dict | None]], loaded_at: datetime) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {t: [] for t in TABLES}
    for art, ext in pairs:
        doc_id = art["doc_id"]
        article = article_row(art, ext, loaded_at)
        practices = practice_rows(doc_id, ext, art.get("published"), art["text"]) if ext else []
        tables["articles"].append(article)
        tables["sentence_spans"] += sentence_rows(doc_id, art["text"], (ext or {}).get("sentences"))
        tables["search_units"] += search_rows(art, article["province"], practices)
        tables["practices"] += practices
        if ext:
            tables["mentions"] += mention_rows(doc_id, ext)
            tables["places"] += place_rows(doc_id, ext)
            tables["directives"] += directive_rows(doc_id, ext)
            tables["metrics"] += metric_rows(doc_id, ext, art.get("published"))
    return tables


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


HASH_VERSION = "x2:"


def extraction_hash(extraction: dict | None) -> str | None:
    """Hash of an extraction by value: SHA-1 of its pickle with memoisation off (so equal values
    give equal bytes, whichever objects are shared), tagged with HASH_VERSION."""
    if extraction is None:
        return None
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True
    pickler.dump(extraction)
    return HASH_VERSION + hashlib.sha1(out.getbuffer()).hexdigest()


def legacy_extraction_hash(extraction: dict) -> str:
    """The hash stored by loads before HASH_VERSION (of the extraction's repr)."""
    return sha1(repr(extraction))


def same_extraction(stored: str | None, extraction: dict | None, new_hash: str | None) -> bool:
    if stored == new_hash:
        return True
    legacy = stored is not None and extraction is not None and not stored.startswith(HASH_VERSION)
    return legacy and stored == legacy_extraction_hash(extraction)


@dataclass
class PreparedBatch:
    """What one batch writes: the documents' statuses, replaced ids and a frame per table."""
    doc_ids: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)      # "new" | "updated", per doc_ids
    unchanged: int = 0
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)      # table → Arrow IPC file, instead of frames

    @property
    def replaced(self) -> list[str]:
        return [d for d, s in zip(self.doc_ids, self.statuses) if s == "updated"]


def prepare_batch(pairs: list[tuple[dict, dict | None]], known: dict[str, tuple], inflight: set[str],
                  loaded_at: datetime, columns: dict[str, dict[str, str]]) -> PreparedBatch:
    """Hash each pair against the stored hashes (`known`) and build the rows of those that changed.

    `inflight`: ids of documents in batches not yet committed, so written again as updates.
    """
    out, todo = PreparedBatch(), []
    for art, ext in pairs:
        chash, ehash = art.get("content_hash") or sha1(art["text"]), extraction_hash(ext)
        prev = known.get(art["doc_id"])
        if prev and prev[0] == chash and (ext is None or same_extraction(prev[1], ext, ehash)):
            out.unchanged += 1
            continue
        todo.append(({**art, "content_hash": chash, "extraction_hash": ehash}, ext))
        out.doc_ids.append(art["doc_id"])
        out.statuses.append("updated" if prev or art["doc_id"] in inflight else "new")
    rows = rows_for_batch(todo, loaded_at)
    out.frames = {t: frame(t, rows[t], columns[t]) for t in TABLES if rows.get(t)}
    if "search_units" in out.frames:
        texts = [r["text"] for r in rows["search_units"]]
        out.frames["search_units"] = index_units(out.frames["search_units"], texts)
    return out


def frame(table: str, rows: list[dict], columns: dict[str, str]) -> pl.DataFrame:
    """Rows as a frame with the table's columns ({name: DuckDB type}), in the types DuckDB
    expects; a value that does not fit its column's type becomes null."""
    overrides = _schema(table)
    schema = {c: overrides.get(c) or _POLARS_TYPES.get(t, pl.Utf8) for c, t in columns.items()}
    try:
        return pl.from_dicts(rows, schema=schema, strict=False)
    except (pl.exceptions.ComputeError, TypeError, ValueError):     # some value of another type: cast it
        data = {c: [r.get(c) for r in rows] for c in schema}
        return pl.DataFrame(data, schema_overrides=schema, strict=False)


_POLARS_TYPES = {"VARCHAR": pl.Utf8, "INTEGER": pl.Int64, "BIGINT": pl.Int64, "SMALLINT": pl.Int64,
                 "DOUBLE": pl.Float64, "FLOAT": pl.Float64, "BOOLEAN": pl.Boolean, "VARCHAR[]": pl.List(pl.Utf8),
                 "INTEGER[]": pl.List(pl.Int64),
                 "TIMESTAMP WITH TIME ZONE": pl.Datetime(time_zone="UTC")}


def _schema(table: str) -> dict:
    """Types that differ from _POLARS_TYPES: the crawler's dates go as text, DuckDB parses them."""
    if table == "articles":
        return {"published": pl.Utf8, "fetched_at": pl.Utf8}
    return {"unit_key": pl.Int64, "n_terms": pl.Int32, "date": pl.Utf8}
