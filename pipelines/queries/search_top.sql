-- Unfiltered BM25 top-k: the sum of the query terms' impact-ordered postings. The term
-- branch (search_term_impacts.sql) is repeated once per query term, so each reads only its
-- term's row group (the table is sorted by term); values are bound, never pasted.
SELECT unit_key, sum(w) AS score, count(*) AS matched
FROM (/*TERMS*/)
GROUP BY unit_key
ORDER BY score DESC, unit_key
LIMIT ?
