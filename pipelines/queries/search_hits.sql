-- What a result shows, for the top units in _xdd_top (unit_id, doc_id, score, matched):
-- the unit's place and category, the article's title, date and URL, and the unit's words.
SELECT u.unit_id, u.kind, u.doc_id, u.start, u."end", t.score, t.matched,
       a.title, a.url, a.source, CAST(a.published AS VARCHAR) AS published,
       u.province, u.province_2025, u.district, u.category,
       CASE WHEN u.kind = 'practice' THEN substr(a.text, u.start + 1, u."end" - u.start) ELSE a.text END AS body
FROM _xdd_top t
JOIN search_units u ON u.unit_id = t.unit_id AND u.doc_id IN (SELECT doc_id FROM _xdd_top)
JOIN articles a ON a.doc_id = t.doc_id
ORDER BY t.score DESC, u.unit_id
