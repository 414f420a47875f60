-- Unfiltered BM25 top-k: sum of the query terms' impact-ordered postings.
SELECT unit_id, sum(w) AS score, count(*) AS matched
FROM search_impacts
WHERE term IN (SELECT unnest($terms::VARCHAR[]))
GROUP BY unit_id
ORDER BY score DESC, unit_id
LIMIT $limit
