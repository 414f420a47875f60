-- Fragment (update_metric_facts.sql): the groups of metric_periods the changed articles' figures
-- now in metric_facts belong to
SELECT DISTINCT indicator_key, base_key, unit, measure, scope, coalesce(qualifier = 'target', false) AS target, province, period
FROM metric_facts
WHERE doc_id IN (SELECT doc_id FROM _xdd_changed)
  AND base_key IS NOT NULL AND value IS NOT NULL AND url IS NOT NULL AND period IS NOT NULL
