-- 011: search runs on a tantivy index beside the database file (pipelines/search_index.py).
-- The derived BM25 tables and the term frequencies they were built from go; `search_state`
-- holds a token that every load transaction writing facts renews, and that the index records
-- when it is brought in step (`xdd load` does it, `xdd index` rebuilds it).
DROP TABLE IF EXISTS search_postings;
DROP TABLE IF EXISTS search_impacts;
DROP TABLE IF EXISTS search_place_impacts;
DROP TABLE IF EXISTS search_stats;
DROP TABLE IF EXISTS search_categories;
DROP TABLE IF EXISTS search_document_units;
DROP TABLE IF EXISTS search_place_docs;
DROP TABLE IF EXISTS search_tf;
CREATE TABLE IF NOT EXISTS search_state (token BIGINT NOT NULL);
INSERT INTO search_state SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM search_state);
