-- The BM25 index, rebuilt after a load changed anything. Terms come from search_units.terms
-- (tone-folded syllables and syllable bigrams, see pipelines/textindex.py).
--   search_postings: one row per (term, unit) with its BM25 weight (k1 = 1.2, b = 0.75) and the
--                    unit's kind and province, sorted by term then province after 2025, so a
--                    query reads only its terms' row groups, and a province filter only the
--                    province's part of them;
--   search_impacts:  the 2,000 highest-weighted postings of each term (impact-ordered lists):
--                    an unfiltered query sums these, so its cost does not grow with the corpus.
CREATE OR REPLACE TEMP TABLE _xdd_tf AS
WITH toks AS (SELECT u.unit_id, u.kind, u.province, u.province_2025, string_split(u.terms, ' ') AS ts
              FROM search_units u
              JOIN articles a USING (doc_id) WHERE a.duplicate_of IS NULL AND u.terms <> ''),
occ AS (SELECT unit_id, kind, province, province_2025, len(ts) AS len, unnest(ts) AS term FROM toks)
SELECT term, unit_id, count(*)::INTEGER AS tf, any_value(len) AS len, any_value(kind) AS kind,
       any_value(province) AS province, any_value(province_2025) AS province_2025
FROM occ GROUP BY term, unit_id;

CREATE OR REPLACE TABLE search_stats AS
SELECT count(*)::DOUBLE AS n, coalesce(avg(len), 1)::DOUBLE AS avgdl
FROM (SELECT unit_id, any_value(len) AS len FROM _xdd_tf GROUP BY unit_id);

CREATE OR REPLACE TABLE search_postings AS
WITH df AS (SELECT term, count(*)::DOUBLE AS df FROM _xdd_tf GROUP BY term)
SELECT p.term, p.province_2025, p.province, p.kind, p.unit_id,
       (ln(1 + (st.n - df.df + 0.5) / (df.df + 0.5))
        * p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * p.len / st.avgdl)))::FLOAT AS w
FROM _xdd_tf p JOIN df USING (term) CROSS JOIN search_stats st
ORDER BY p.term, p.province_2025;

CREATE OR REPLACE TABLE search_impacts AS
SELECT term, unit_id, w FROM (
    SELECT term, unit_id, w, row_number() OVER (PARTITION BY term ORDER BY w DESC, unit_id) AS r
    FROM search_postings)
WHERE r <= 2000
ORDER BY term;

DROP TABLE _xdd_tf;

-- search_unit_categories: the practice categories of each unit (a practice's own, an article's
-- are those of its practices), sorted by category so a category filter reads only its rows.
CREATE OR REPLACE TABLE search_unit_categories AS
SELECT DISTINCT unit_id, category FROM (
    SELECT unit_id, category FROM search_units WHERE kind = 'practice' AND category IS NOT NULL
    UNION ALL
    SELECT 'a:' || doc_id, category FROM practices WHERE category IS NOT NULL)
ORDER BY category, unit_id;
