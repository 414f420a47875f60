-- Filtered BM25 top-k: exact scores over the units that pass the filters (_xdd_allowed);
-- one term branch per query term (search_term_postings.sql, or search_term_in_province.sql
-- when a province narrows the postings read).
SELECT p.unit_key, sum(p.w) AS score, count(*) AS matched
FROM (/*TERMS*/) p
SEMI JOIN _xdd_allowed a ON a.unit_key = p.unit_key
GROUP BY p.unit_key
ORDER BY score DESC, p.unit_key
LIMIT ?
