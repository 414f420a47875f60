-- What a result shows, for the top units in _xdd_top (unit_id, score, matched).
SELECT u.unit_id, u.kind, u.doc_id, u.start, u."end", t.score, t.matched,
       a.title, a.url, a.source, CAST(a.published AS VARCHAR) AS published,
       u.province, u.province_2025,
       pr.district, u.category, pr.text AS practice_text
FROM _xdd_top t
JOIN search_units u USING (unit_id)
JOIN articles a ON a.doc_id = u.doc_id
LEFT JOIN practices pr ON pr.doc_id = u.doc_id AND pr.start = u.start
WHERE a.duplicate_of IS NULL
ORDER BY t.score DESC, u.unit_id
