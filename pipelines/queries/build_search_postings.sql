-- Postings (term, unit, tf, unit length), document frequencies and collection statistics,
-- derived from the FTS index `fts_main_search_units` after PRAGMA create_fts_index.
CREATE OR REPLACE TABLE search_postings AS
SELECT dict.term, docs.name AS unit_id, count(*)::INTEGER AS tf, any_value(docs.len) AS len
FROM fts_main_search_units.terms t
JOIN fts_main_search_units.dict dict USING (termid)
JOIN fts_main_search_units.docs docs USING (docid)
GROUP BY ALL
ORDER BY dict.term;

CREATE OR REPLACE TABLE search_df AS
SELECT term, count(*)::DOUBLE AS df FROM search_postings GROUP BY term ORDER BY term;

CREATE OR REPLACE TABLE search_stats AS
SELECT count(*)::DOUBLE AS n, avg(len)::DOUBLE AS avgdl FROM fts_main_search_units.docs;
