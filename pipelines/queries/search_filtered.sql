-- Filtered BM25 top-k: exact scores over the units that pass the filters (_xdd_allowed).
SELECT p.unit_id, sum(p.w) AS score, count(*) AS matched
FROM search_postings p
SEMI JOIN _xdd_allowed a ON a.unit_id = p.unit_id
WHERE p.term IN (SELECT unnest($terms::VARCHAR[]))
GROUP BY p.unit_id
ORDER BY score DESC, p.unit_id
LIMIT $limit
