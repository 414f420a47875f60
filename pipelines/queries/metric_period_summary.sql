-- Fragment, included by name (metric_period_summary, in double braces) by build_metric_facts.sql and
-- update_metric_facts.sql: the per-period summary of the figure rows `f` — one row per series
-- (indicator, measure, scope, unit, targets apart), province and period: how many, their
-- distinct values, and the most recently published one with its words, sentence and link.
-- Every aggregate is deterministic, so a group recomputed by a load equals one built from scratch.
-- The latest figure is picked in one hash aggregation (arg_min over a struct key, metric_latest_key:
-- published first, undated last, then doc_id, start, end, value), not by sorting each group once
-- per column, the winner's key is kept (latest_key) so that a load adding rows to a group merges.
SELECT indicator_key, base_key, unit, measure, scope, target, province, period, province_2025, n_values, vals,
       published, latest.value AS value, latest.qualifier AS qualifier, latest.indicator AS indicator,
       latest.url AS url, latest.text AS text, latest.sentence AS sentence, latest_key
FROM (
    SELECT indicator_key, base_key, unit, measure, scope, coalesce(qualifier = 'target', false) AS target,
           province, period, min(province_2025) AS province_2025, count(*) AS n_values,
           list_sort(list_distinct(list(value))) AS vals, max(published) AS published,
           arg_min({'value': value, 'qualifier': qualifier, 'indicator': indicator, 'url': url, 'text': text,
                    'sentence': sentence}, {{metric_latest_key}}) AS latest,
           min({{metric_latest_key}}) AS latest_key      -- kept: a load that only adds rows merges by it
    FROM f
    GROUP BY ALL
)
