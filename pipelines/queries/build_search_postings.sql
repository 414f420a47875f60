-- The BM25 index, rebuilt after a load changed anything, from the term frequencies the load
-- stored (search_tf: one row per unit and distinct term, keys from pipelines.textindex.key64).
-- Syndicated copies are left out. Every posting carries what the search filters on, so a
-- filter is a condition on the rows read, never a join:
--   province_2025_key, province_key  key64 of the province after 2025 and as reported;
--   practice                         whether the unit is a practice (else an article);
--   day                              the article's publication date (local time);
--   source_key                       key64 of the article's source;
--   cats                             the unit's practice categories, one bit each (search_categories).
-- Tables:
--   search_stats:         units and their mean length (in terms);
--   search_categories:    each practice category and its bit in `cats` (63 at most carry a bit);
--   search_document_units: the units of each article citing a document (by document key,
--                         sorted by it), for --document. search_place_docs: the distinct place
--                         names of each article, lower case without marks, for --district;
--   search_postings:      one row per (term, unit) with its BM25 weight (k1 = 1.2, b = 0.75),
--                         sorted by term then province after 2025, so a query reads only its
--                         terms' row groups (exact scores, the fallback of the lists below);
--   search_impacts:       the 2,000 highest-weighted postings of each term (impact-ordered
--                         lists): a query sums these, so its cost does not grow with the corpus;
--   search_place_impacts: the 500 highest-weighted postings of each term in each province
--                         after 2025, sorted like search_postings: the same for one province.
CREATE OR REPLACE TABLE search_categories AS
SELECT category, (row_number() OVER (ORDER BY category) - 1)::INTEGER AS bit
FROM (SELECT DISTINCT category FROM practices WHERE category IS NOT NULL);

CREATE OR REPLACE TEMP TABLE _xdd_cats AS
SELECT unit_key, bit_or(1::BIGINT << bit) AS cats FROM (
    SELECT unit_key, category FROM search_units WHERE kind = 'practice' AND category IS NOT NULL
    UNION ALL
    SELECT u.unit_key, p.category
    FROM practices p JOIN search_units u ON u.doc_id = p.doc_id AND u.kind = 'article'
    WHERE p.category IS NOT NULL)
JOIN search_categories USING (category)
WHERE bit < 63
GROUP BY unit_key;

CREATE OR REPLACE TEMP TABLE _xdd_units AS
SELECT u.unit_key, u.kind = 'practice' AS practice, u.n_terms AS len,
       (md5_number_upper(u.province) >> 1)::BIGINT AS province_key,
       (md5_number_upper(u.province_2025) >> 1)::BIGINT AS province_2025_key,
       CAST(a.published AS DATE) AS day,
       (md5_number_upper(a.source) >> 1)::BIGINT AS source_key,
       c.cats
FROM search_units u JOIN articles a USING (doc_id) LEFT JOIN _xdd_cats c USING (unit_key)
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
        * t.tf * 2.2 / (t.tf + 1.2 * (0.25 + 0.75 * u.len / st.avgdl)))::FLOAT AS w,
       u.day, u.source_key, u.cats
FROM search_tf t
JOIN _xdd_units u USING (unit_key)
JOIN _xdd_df d USING (term_key)
CROSS JOIN search_stats st
ORDER BY t.term_key, u.province_2025_key;

-- The windows' sorts spill to disk, so the rebuild keeps within DuckDB's memory limit. They
-- rank only (term, province, unit, weight), the unit's filter columns are joined afterwards.
CREATE OR REPLACE TABLE search_impacts AS
SELECT p.term_key, u.province_2025_key, u.province_key, u.practice, p.unit_key, p.w, u.day, u.source_key, u.cats
FROM (SELECT term_key, unit_key, w FROM search_postings
      QUALIFY row_number() OVER (PARTITION BY term_key ORDER BY w DESC, unit_key) <= 2000) p
JOIN _xdd_units u USING (unit_key)
ORDER BY p.term_key;

CREATE OR REPLACE TABLE search_place_impacts AS
SELECT p.term_key, p.province_2025_key, u.province_key, u.practice, p.unit_key, p.w, u.day, u.source_key, u.cats
FROM (SELECT term_key, province_2025_key, unit_key, w FROM search_postings
      WHERE province_2025_key IS NOT NULL
      QUALIFY row_number() OVER (PARTITION BY term_key, province_2025_key ORDER BY w DESC, unit_key) <= 500) p
JOIN _xdd_units u USING (unit_key)
ORDER BY p.term_key, p.province_2025_key;

CREATE OR REPLACE TABLE search_document_units AS
SELECT DISTINCT d.key, u.unit_key, u.doc_id, u.kind, u.category
FROM directives d JOIN search_units u USING (doc_id)
WHERE d.key IS NOT NULL
ORDER BY d.key, u.unit_key;

CREATE OR REPLACE TABLE search_place_docs AS
SELECT DISTINCT strip_accents(lower(name)) AS folded, doc_id
FROM places
WHERE name IS NOT NULL
ORDER BY folded, doc_id;

DROP TABLE _xdd_df;
DROP TABLE _xdd_units;
DROP TABLE _xdd_cats;
DROP TABLE IF EXISTS search_unit_categories;
