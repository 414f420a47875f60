-- The figure index, built from scratch (`xdd index`, or a load that finds none, or one of an
-- older layout, or one that changed a large share of the articles): every figure of an original
-- article (syndicated copies left out) with the provenance that `xdd compare` shows (its words,
-- its sentence, the article's link), sorted by base key (the indicator's key without its
-- measure's words) so one indicator reads only its row groups. A load otherwise updates it by
-- delta (update_metric_facts.sql, pipelines.figure_index): the two must give the same rows.
CREATE OR REPLACE TABLE metric_facts AS
SELECT m.indicator_key, coalesce(m.base_key, m.indicator_key) AS base_key, m.locality AS province,
       m.locality_2025 AS province_2025, m.period, m.period_source, m.value, m.unit, m.qualifier, m.indicator, m.subject, m.province_scope,
       m.scope, m.measure, m.doc_id, m.text, m.start, m."end",
       coalesce(substr(a.text, s.start + 1, s."end" - s.start), m.text) AS sentence,
       a.title, nullif(a.url, '') AS url, a.published, a.source
FROM metrics m
JOIN articles a USING (doc_id)
LEFT JOIN sentence_spans s ON s.doc_id = m.doc_id AND s.start <= m.start AND m.start < s."end"
WHERE a.duplicate_of IS NULL
  AND m.locality IS NOT NULL
ORDER BY coalesce(m.base_key, m.indicator_key), m.locality, m.period;

-- metric_periods: the figures of each series (indicator, measure, scope, unit, targets apart),
-- province and period that `xdd compare` can show — a value, a period and a link to its
-- article — summed up: how many, their distinct values (ascending), and the most recently
-- published one with its words, sentence and link (ties: the first in document order). `xdd
-- compare` reads a few rows per province however large the corpus grows. Every aggregate is
-- deterministic (whatever order the rows are stored in), so a group recomputed by a load equals
-- the group built from scratch.
CREATE OR REPLACE TABLE metric_periods AS
WITH f AS (
    SELECT * FROM metric_facts
    WHERE base_key IS NOT NULL AND value IS NOT NULL AND url IS NOT NULL AND period IS NOT NULL
)
{{metric_period_summary}}
ORDER BY base_key, province, period;

-- metric_docs: the version of each article (hashes, load time) the figure index reflects: a
-- load compares it with `articles` to find what it added, changed or removed.
CREATE OR REPLACE TABLE metric_docs AS
SELECT doc_id, content_hash, extraction_hash, loaded_at FROM articles;

-- metric_state: the layout of these tables (pipelines.figure_index.LAYOUT: another one is
-- rebuilt) and the rows loads appended since the tables were last sorted.
CREATE OR REPLACE TABLE metric_state AS
SELECT 'figures-3' AS layout, 0::BIGINT AS appended, now() AS built_at;
