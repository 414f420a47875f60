-- The search units to (re)index ($_xdd_units: a registered frame of unit keys), with what the
-- tantivy index stores of them: the words (an article's title, lead and text; a practice's
-- passage), what the filters read (place, kind, source, day in local time,
-- practice categories, cited document keys, place names) and nothing else. Syndicated copies
-- are never indexed (pipelines.search_index.DB_UNITS).
SELECT u.unit_key, u.unit_id, u.kind, u.province, u.province_2025, u.category,
       a.source, CAST(CAST(a.published AS DATE) AS VARCHAR) AS day,
       CASE WHEN u.kind = 'article' THEN a.title END AS title,
       CASE WHEN u.kind = 'article' THEN a.lead END AS lead,
       CASE WHEN u.kind = 'article' THEN a.text ELSE substr(a.text, u.start + 1, u."end" - u.start) END AS text,
       (SELECT list(DISTINCT p.category) FROM practices p
        WHERE p.doc_id = u.doc_id AND p.category IS NOT NULL) AS categories,
       (SELECT list(DISTINCT d.key) FROM directives d WHERE d.doc_id = u.doc_id AND d.key IS NOT NULL) AS documents,
       (SELECT list(DISTINCT pl.name) FROM places pl WHERE pl.doc_id = u.doc_id AND pl.name IS NOT NULL) AS places
FROM search_units u
JOIN _xdd_units t USING (unit_key)
JOIN articles a USING (doc_id)
ORDER BY u.unit_id
