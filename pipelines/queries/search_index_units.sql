-- The search units to (re)index ($_xdd_units: a registered frame of unit keys), with what the
-- tantivy index holds of them: the words (an article's title, lead and text; a practice's
-- passage), what the filters and facets read (place, kind, source, day in local time, practice
-- categories, cited document keys, place names) and what a search result shows, stored in the
-- index so that a search reads nothing else (title, date, URL, span, district, a practice's
-- record fields as `xdd practices` gives them). Syndicated copies are never indexed
-- (pipelines.search_index.DB_UNITS).
WITH outcome AS (
    SELECT o.doc_id, o.start,
           list({'text': m.text, 'start': m.start, 'end': m."end", 'value': m.value, 'unit': m.unit,
                 'indicator': m.indicator} ORDER BY m.start) AS outcome
    FROM (SELECT p.doc_id, p.start, unnest(p.outcome_start) AS os, unnest(p.outcome_end) AS oe
          FROM practices p JOIN search_units u ON u.doc_id = p.doc_id AND u.start = p.start
          JOIN _xdd_units t ON t.unit_key = u.unit_key
          WHERE u.kind = 'practice') o
    JOIN metrics m ON m.doc_id = o.doc_id AND m.start = o.os AND m."end" = o.oe
    GROUP BY o.doc_id, o.start
)
SELECT u.unit_key, u.unit_id, u.kind, u.doc_id, u.start, u."end", u.province, u.province_2025, u.district,
       u.category, a.source, a.url, a.title, CAST(a.published AS VARCHAR) AS published,
       CAST(CAST(a.published AS DATE) AS VARCHAR) AS day,
       CASE WHEN u.kind = 'article' THEN a.lead END AS lead,
       CASE WHEN u.kind = 'article' THEN a.text ELSE substr(a.text, u.start + 1, u."end" - u.start) END AS text,
       (SELECT list(DISTINCT p.category) FROM practices p
        WHERE p.doc_id = u.doc_id AND p.category IS NOT NULL) AS categories,
       (SELECT list(DISTINCT d.key) FROM directives d WHERE d.doc_id = u.doc_id AND d.key IS NOT NULL) AS documents,
       (SELECT list(DISTINCT pl.name) FROM places pl WHERE pl.doc_id = u.doc_id AND pl.name IS NOT NULL) AS places,
       r.actor, r.actor_norm, r.place_name, r.place_level, r.commune, r.documents AS record_documents,
       r.time, coalesce(o.outcome, []) AS outcome
FROM search_units u
JOIN _xdd_units t USING (unit_key)
JOIN articles a USING (doc_id)
LEFT JOIN practices r ON u.kind = 'practice' AND r.doc_id = u.doc_id AND r.start = u.start
LEFT JOIN outcome o ON u.kind = 'practice' AND o.doc_id = u.doc_id AND o.start = u.start
ORDER BY u.unit_id
