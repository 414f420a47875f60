-- Fragment, included by name (metric_period_summary, in double braces) by build_metric_facts.sql and
-- update_metric_facts.sql: the per-period summary of the figure rows `f` — one row per series
-- (indicator, measure, scope, unit, targets apart), province and period: how many, their
-- distinct values, and the most recently published one with its words, sentence and link.
-- Every aggregate is deterministic, so a group recomputed by a load equals one built from scratch.
SELECT indicator_key, base_key, unit, measure, scope, coalesce(qualifier = 'target', false) AS target,
       province, period, min(province_2025) AS province_2025, count(*) AS n_values, list(DISTINCT value ORDER BY value) AS vals,
       max(published) AS published,
       first(value ORDER BY published DESC NULLS LAST, doc_id, start, "end", value) AS value,
       first(qualifier ORDER BY published DESC NULLS LAST, doc_id, start, "end", value) AS qualifier,
       first(indicator ORDER BY published DESC NULLS LAST, doc_id, start, "end", value) AS indicator,
       first(url ORDER BY published DESC NULLS LAST, doc_id, start, "end", value) AS url,
       first(text ORDER BY published DESC NULLS LAST, doc_id, start, "end", value) AS text,
       first(sentence ORDER BY published DESC NULLS LAST, doc_id, start, "end", value) AS sentence
FROM f
GROUP BY ALL
