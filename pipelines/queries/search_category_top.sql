-- BM25 top-k within one practice category (and optionally one kind), from the impact lists
-- (search_term_impacts.sql branches): as exact as the unfiltered search. Parameters: the
-- terms, then the category, the kind twice, the limit.
SELECT p.unit_id, sum(p.w) AS score, count(*) AS matched
FROM (/*TERMS*/) p
WHERE p.unit_id IN (SELECT unit_id FROM search_unit_categories WHERE category = ?)
  AND (?::VARCHAR IS NULL OR starts_with(p.unit_id, 'p:') = (? = 'practice'))
GROUP BY p.unit_id
ORDER BY score DESC, p.unit_id
LIMIT ?
