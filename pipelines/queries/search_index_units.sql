-- The search units to (re)index ($_xdd_units: a registered frame of unit keys), with what the
-- tantivy index holds of them: the words (an article's title, lead and text; a practice's
-- passage), what the filters and facets read (place, kind, source, day in local time, practice
-- categories, cited document keys, place names) and what a search result shows, stored in the
-- index so that a search reads nothing else (title, date, URL, span, district, a practice's
-- record fields as `xdd practices` gives them). Syndicated copies are never indexed
-- (pipelines.search_index.DB_UNITS). The chunk's articles lie between rowids $lo and $hi
-- (pipelines.search_index orders units by their article's rowid): DuckDB reads those row groups
-- of `articles` only, not the whole table's text for every chunk.
WITH u AS (
    SELECT s.* FROM search_units s JOIN _xdd_units t USING (unit_key)
), rec AS (                 -- a practice unit's record (practices: one row per doc_id and start)
    SELECT u.unit_key, r.doc_id, r.start, r.actor, r.actor_norm, r.place_name, r.place_level, r.commune,
           r.documents, r.time, r.outcome_start, r.outcome_end
    FROM practices r JOIN u ON r.doc_id = u.doc_id AND r.start = u.start
    WHERE u.kind = 'practice'
), outcome AS (
    SELECT o.unit_key,
           list({'text': m.text, 'start': m.start, 'end': m."end", 'value': m.value, 'unit': m.unit,
                 'indicator': m.indicator} ORDER BY m.start) AS outcome
    FROM (SELECT unit_key, doc_id, unnest(outcome_start) AS os, unnest(outcome_end) AS oe FROM rec) o
    JOIN metrics m ON m.doc_id = o.doc_id AND m.start = o.os AND m."end" = o.oe
    GROUP BY o.unit_key
), cats AS (
    SELECT p.doc_id, list(DISTINCT p.category) AS categories
    FROM practices p WHERE p.doc_id IN (SELECT doc_id FROM u) AND p.category IS NOT NULL GROUP BY p.doc_id
), docs AS (
    SELECT d.doc_id, list(DISTINCT d.key) AS documents
    FROM directives d WHERE d.doc_id IN (SELECT doc_id FROM u) AND d.key IS NOT NULL GROUP BY d.doc_id
), names AS (
    SELECT pl.doc_id, list(DISTINCT pl.name) AS places
    FROM places pl WHERE pl.doc_id IN (SELECT doc_id FROM u) AND pl.name IS NOT NULL GROUP BY pl.doc_id
)
SELECT u.unit_key, u.unit_id, u.kind, u.doc_id, u.start, u."end", u.province, u.province_2025, u.district,
       u.category, a.source, a.url, a.title, CAST(a.published AS VARCHAR) AS published,
       CAST(CAST(a.published AS DATE) AS VARCHAR) AS day,
       CASE WHEN u.kind = 'article' THEN a.lead END AS lead,
       CASE WHEN u.kind = 'article' THEN a.text ELSE substr(a.text, u.start + 1, u."end" - u.start) END AS text,
       cats.categories, docs.documents, names.places,
       rec.actor, rec.actor_norm, rec.place_name, rec.place_level, rec.commune, rec.documents AS record_documents,
       rec.time, CASE WHEN u.kind = 'practice' THEN coalesce(outcome.outcome, []) END AS outcome
FROM u
JOIN (SELECT * FROM articles WHERE rowid BETWEEN $lo AND $hi) a USING (doc_id)
LEFT JOIN cats USING (doc_id)
LEFT JOIN docs USING (doc_id)
LEFT JOIN names USING (doc_id)
LEFT JOIN rec USING (unit_key)
LEFT JOIN outcome USING (unit_key)
ORDER BY u.unit_id
