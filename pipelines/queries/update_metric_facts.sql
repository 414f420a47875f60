-- The figure index updated by delta (pipelines.figure_index.update) for the articles in the
-- temporary table _xdd_changed (doc_id): those a load added, changed or removed since the index
-- was last brought up to date. Their rows of metric_facts are replaced, the groups of
-- metric_periods (series, province, period) their old figures belonged to lose rows and are
-- recomputed from metric_facts, the groups only their new figures belong to just gain rows, so
-- each is merged with the summary of its new rows (a daily load of new articles reads its own
-- figures, not the whole table), no other group is touched. The rows and aggregates are those of
-- build_metric_facts.sql (a test checks the two give the same tables).

-- the groups the old figures of these articles belonged to
CREATE OR REPLACE TEMP TABLE _xdd_groups AS
{{changed_figure_groups}};

DELETE FROM metric_facts WHERE doc_id IN (SELECT doc_id FROM _xdd_changed);

-- (the variables xdd_from_<table>: the lowest rowid of the changed articles' rows in that table,
-- set by pipelines.figure_index: a load appends, so DuckDB reads the tables' tails only, not
-- every article's text)
INSERT INTO metric_facts
WITH a AS (SELECT doc_id, text, title, url, published, source FROM articles
           WHERE rowid >= getvariable('xdd_from_articles') AND doc_id IN (SELECT doc_id FROM _xdd_changed)
             AND duplicate_of IS NULL),
     m AS (SELECT * FROM metrics WHERE rowid >= getvariable('xdd_from_metrics')
             AND doc_id IN (SELECT doc_id FROM _xdd_changed) AND locality IS NOT NULL),
     s AS (SELECT * FROM sentence_spans WHERE rowid >= getvariable('xdd_from_sentence_spans')
             AND doc_id IN (SELECT doc_id FROM _xdd_changed))
SELECT m.indicator_key, coalesce(m.base_key, m.indicator_key) AS base_key, m.locality AS province,
       m.locality_2025 AS province_2025, m.period, m.period_source, m.value, m.unit, m.qualifier, m.indicator, m.subject, m.province_scope,
       m.scope, m.measure, m.doc_id, m.text, m.start, m."end",
       coalesce(substr(a.text, s.start + 1, s."end" - s.start), m.text) AS sentence,
       a.title, nullif(a.url, '') AS url, a.published, a.source
FROM m
JOIN a USING (doc_id)
LEFT JOIN s ON s.doc_id = m.doc_id AND s.start <= m.start AND m.start < s."end"
ORDER BY coalesce(m.base_key, m.indicator_key), m.locality, m.period;

-- the groups only their new figures belong to: they gain rows and lose none
CREATE OR REPLACE TEMP TABLE _xdd_gained AS
{{changed_figure_groups}}
EXCEPT
SELECT * FROM _xdd_groups;

-- a gained group's summary: its stored one (if any) merged with that of its new rows
CREATE OR REPLACE TEMP TABLE _xdd_merged AS
WITH f AS (
    SELECT f.* FROM metric_facts f SEMI JOIN _xdd_gained g ON {{figure_in_group}}
    WHERE f.doc_id IN (SELECT doc_id FROM _xdd_changed) AND f.value IS NOT NULL AND f.url IS NOT NULL
), n AS (
{{metric_period_summary}}
)
SELECT n.indicator_key, n.base_key, n.unit, n.measure, n.scope, n.target, n.province, n.period,
       CASE WHEN p.province_2025 IS NULL THEN n.province_2025 WHEN n.province_2025 IS NULL THEN p.province_2025
            ELSE least(p.province_2025, n.province_2025) END AS province_2025,
       coalesce(p.n_values, 0) + n.n_values AS n_values,
       list_sort(list_distinct(list_concat(coalesce(p.vals, []), n.vals))) AS vals,
       CASE WHEN p.published IS NULL THEN n.published WHEN n.published IS NULL THEN p.published
            ELSE greatest(p.published, n.published) END AS published,
       CASE WHEN p.latest_key IS NULL OR n.latest_key < p.latest_key THEN n.value ELSE p.value END AS value,
       CASE WHEN p.latest_key IS NULL OR n.latest_key < p.latest_key THEN n.qualifier ELSE p.qualifier END AS qualifier,
       CASE WHEN p.latest_key IS NULL OR n.latest_key < p.latest_key THEN n.indicator ELSE p.indicator END AS indicator,
       CASE WHEN p.latest_key IS NULL OR n.latest_key < p.latest_key THEN n.url ELSE p.url END AS url,
       CASE WHEN p.latest_key IS NULL OR n.latest_key < p.latest_key THEN n.text ELSE p.text END AS text,
       CASE WHEN p.latest_key IS NULL OR n.latest_key < p.latest_key THEN n.sentence ELSE p.sentence END AS sentence,
       CASE WHEN p.latest_key IS NULL OR n.latest_key < p.latest_key THEN n.latest_key ELSE p.latest_key END AS latest_key
FROM n
LEFT JOIN metric_periods p
  ON p.base_key = n.base_key AND p.province = n.province AND p.period = n.period AND p.target = n.target
 AND p.indicator_key IS NOT DISTINCT FROM n.indicator_key AND p.unit IS NOT DISTINCT FROM n.unit
 AND p.measure IS NOT DISTINCT FROM n.measure AND p.scope IS NOT DISTINCT FROM n.scope;

-- both kinds of group leave, then come back: recomputed, and merged
DELETE FROM metric_periods p USING (SELECT * FROM _xdd_groups UNION ALL SELECT * FROM _xdd_gained) g
WHERE p.base_key = g.base_key AND p.province = g.province AND p.period = g.period AND p.target = g.target
  AND p.indicator_key IS NOT DISTINCT FROM g.indicator_key AND p.unit IS NOT DISTINCT FROM g.unit
  AND p.measure IS NOT DISTINCT FROM g.measure AND p.scope IS NOT DISTINCT FROM g.scope;

INSERT INTO metric_periods
WITH f AS (
    SELECT f.* FROM metric_facts f SEMI JOIN _xdd_groups g ON {{figure_in_group}}
    WHERE f.value IS NOT NULL AND f.url IS NOT NULL
)
{{metric_period_summary}}
ORDER BY base_key, province, period;

INSERT INTO metric_periods SELECT * FROM _xdd_merged ORDER BY base_key, province, period;

DELETE FROM metric_docs WHERE doc_id IN (SELECT doc_id FROM _xdd_changed);

INSERT INTO metric_docs
SELECT doc_id, content_hash, extraction_hash, loaded_at FROM articles WHERE doc_id IN (SELECT doc_id FROM _xdd_changed);
