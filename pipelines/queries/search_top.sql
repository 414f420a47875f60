-- BM25 top-k: the sum of the query terms' postings that pass the filters (every filter is
-- optional: NULL means none). The term branch (search_term_rows.sql) is repeated once per query
-- term ($term_0, $term_1, ...), so each reads only its term's rows of the table (sorted by
-- term, then province after 2025 for $place); the table is one of search_impacts,
-- search_place_impacts or search_postings, chosen by pipelines.search. Filters the postings do
-- not carry (a document, a district, a category without a bit) add the condition that the unit
-- is one of search_allowed.sql's where the ALLOWED marker stands.
SELECT unit_key, sum(w) AS score, count(*) AS matched
FROM (/*TERMS*/)
WHERE ($kind::VARCHAR IS NULL OR practice = ($kind = 'practice'))
  AND ($province_keys::BIGINT[] IS NULL OR list_contains($province_keys::BIGINT[], province_key))
  AND ($place_keys::BIGINT[] IS NULL OR list_contains($place_keys::BIGINT[], province_2025_key))
  AND ($since::DATE IS NULL OR day >= $since::DATE)
  AND ($until::DATE IS NULL OR day <= $until::DATE)
  AND ($source_key::BIGINT IS NULL OR source_key = $source_key)
  AND ($category_bit::INTEGER IS NULL OR (cats & (1::BIGINT << $category_bit)) <> 0)
  /*ALLOWED*/
GROUP BY unit_key
ORDER BY score DESC, unit_key
LIMIT $limit
