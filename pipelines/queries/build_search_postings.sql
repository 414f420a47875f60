-- The BM25 index, rebuilt after a load changed anything, from the term frequencies the load
-- stored (search_tf: one row per unit and distinct term, keys from pipelines.textindex.key64).
-- Syndicated copies are left out.
--   search_stats:    units and their mean length (in terms);
--   search_postings: one row per (term, unit) with its BM25 weight (k1 = 1.2, b = 0.75), whether
--                    the unit is a practice, and its province as reported and after 2025 (as
--                    key64 of the name), sorted by term then province after 2025, so a query
--                    reads only its terms' row groups, and a province filter only the
--                    province's part of them;
--   search_impacts:  the 2,000 highest-weighted postings of each term (impact-ordered lists):
--                    an unfiltered query sums these, so its cost does not grow with the corpus.
CREATE OR REPLACE TEMP TABLE _xdd_units AS
SELECT u.unit_key, u.kind = 'practice' AS practice, u.n_terms AS len,
       (md5_number_upper(u.province) >> 1)::BIGINT AS province_key,
       (md5_number_upper(u.province_2025) >> 1)::BIGINT AS province_2025_key
FROM search_units u JOIN articles a USING (doc_id)
WHERE a.duplicate_of IS NULL AND u.n_terms > 0;

CREATE OR REPLACE TABLE search_stats AS
SELECT count(*)::DOUBLE AS n, coalesce(avg(len), 1)::DOUBLE AS avgdl FROM _xdd_units;

CREATE OR REPLACE TEMP TABLE _xdd_df AS
SELECT term_key, count(*)::DOUBLE AS df
FROM search_tf SEMI JOIN _xdd_units USING (unit_key)
GROUP BY term_key;

CREATE OR REPLACE TABLE search_postings AS
SELECT t.term_key, u.province_2025_key, u.province_key, u.practice, t.unit_key,
       (ln(1 + (st.n - d.df + 0.5) / (d.df + 0.5))
        * t.tf * 2.2 / (t.tf + 1.2 * (0.25 + 0.75 * u.len / st.avgdl)))::FLOAT AS w
FROM search_tf t
JOIN _xdd_units u USING (unit_key)
JOIN _xdd_df d USING (term_key)
CROSS JOIN search_stats st
ORDER BY t.term_key, u.province_2025_key;

-- The window's sort spills to disk, so the rebuild keeps within DuckDB's memory limit.
CREATE OR REPLACE TABLE search_impacts AS
SELECT term_key, unit_key, practice, w
FROM search_postings
QUALIFY row_number() OVER (PARTITION BY term_key ORDER BY w DESC, unit_key) <= 2000
ORDER BY term_key;

DROP TABLE _xdd_df;
DROP TABLE _xdd_units;

-- search_unit_categories: the practice categories of each unit (a practice's own, an article's
-- are those of its practices), sorted by category so a category filter reads only its rows.
CREATE OR REPLACE TABLE search_unit_categories AS
SELECT DISTINCT category, unit_key FROM (
    SELECT unit_key, category FROM search_units WHERE kind = 'practice' AND category IS NOT NULL
    UNION ALL
    SELECT u.unit_key, p.category
    FROM practices p JOIN search_units u ON u.doc_id = p.doc_id AND u.kind = 'article'
    WHERE p.category IS NOT NULL)
ORDER BY category, unit_key;
