-- 006: the BM25 index keyed by integers. Each search unit gets a unit_key (new for each version
-- of its article: see pipelines.facts.search_rows) and its number of terms; the load stores each
-- unit's term frequencies (search_tf: one row per unit and distinct term, keyed as in
-- pipelines.textindex: a syllable by key64 of it, a bigram by bigram_key of its syllables'), so
-- rebuilding the postings splits no text and sorts and joins integers. The terms text column
-- goes in 008 (DuckDB's FTS index, now optional, has its own table: search_text).
ALTER TABLE search_units ADD COLUMN IF NOT EXISTS unit_key BIGINT;
ALTER TABLE search_units ADD COLUMN IF NOT EXISTS n_terms INTEGER;
CREATE TABLE IF NOT EXISTS search_tf (
    unit_key BIGINT NOT NULL,
    term_key BIGINT NOT NULL,
    tf       INTEGER NOT NULL
);
