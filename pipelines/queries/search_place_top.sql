-- BM25 top-k within one province (and optionally one kind): the term branches
-- (search_term_in_province.sql) read only that province's part of each term's postings.
SELECT unit_key, sum(w) AS score, count(*) AS matched
FROM (/*TERMS*/)
GROUP BY unit_key
ORDER BY score DESC, unit_key
LIMIT ?
