-- BM25 top-k within one practice category (and optionally one kind), from the impact lists
-- (search_term_impacts.sql branches): as exact as the unfiltered search. Parameters: the
-- terms, then the category, the kind twice, the limit.
SELECT p.unit_key, sum(p.w) AS score, count(*) AS matched
FROM (/*TERMS*/) p
WHERE p.unit_key IN (SELECT unit_key FROM search_unit_categories WHERE category = ?)
  AND (?::VARCHAR IS NULL OR p.practice = (? = 'practice'))
GROUP BY p.unit_key
ORDER BY score DESC, p.unit_key
LIMIT ?
