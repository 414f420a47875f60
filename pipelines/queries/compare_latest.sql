-- The latest figure of one series per province: indicator (by key), measure, scope and unit
-- (a null parameter: any), targets only with $targets, and with $year only the periods of that
-- year (not terms such as 2020/2025). Per province: the latest period, its value (the most
-- recently published if several), a conflict flag (different values for that period), the
-- history size, the figure's words and sentence and its article's link. Reads the per-period
-- summaries of the figure index (metric_periods in build_metric_facts.sql), which hold only
-- figures of original articles with a value, a period and a link. Ties (one article's figures
-- of several series, with --measure/--scope/--unit all) are broken by the series, so the
-- answer does not depend on the order the rows are stored in (a load appends, a build sorts).
WITH s AS (
{{series_periods}}
),
g AS (
    SELECT * FROM s
    WHERE $year IS NULL OR (left(period, 4) = $year AND NOT contains(period, '/'))
),
history AS (
    SELECT province, max(period) AS period, sum(n_values)::BIGINT AS n_values,
           string_agg(DISTINCT period, ', ' ORDER BY period) AS periods
    FROM g GROUP BY province
)
SELECT g.province, min(g.province_2025) AS province_2025, h.period,
       first(g.value ORDER BY g.published DESC NULLS LAST, g.url, g.measure, g.scope, g.unit, g.indicator_key, g.base_key, g.target, g.value) AS value,
       first(g.unit ORDER BY g.published DESC NULLS LAST, g.url, g.measure, g.scope, g.unit, g.indicator_key, g.base_key, g.target, g.value) AS unit,
       first(g.qualifier ORDER BY g.published DESC NULLS LAST, g.url, g.measure, g.scope, g.unit, g.indicator_key, g.base_key, g.target, g.value) AS qualifier,
       first(g.measure ORDER BY g.published DESC NULLS LAST, g.url, g.measure, g.scope, g.unit, g.indicator_key, g.base_key, g.target, g.value) AS measure,
       first(g.scope ORDER BY g.published DESC NULLS LAST, g.url, g.measure, g.scope, g.unit, g.indicator_key, g.base_key, g.target, g.value) AS scope,
       len(list_distinct(flatten(list(g.vals)))) > 1 AS conflict,
       first(g.url ORDER BY g.published DESC NULLS LAST, g.url, g.measure, g.scope, g.unit, g.indicator_key, g.base_key, g.target, g.value) AS source,
       first(g.text ORDER BY g.published DESC NULLS LAST, g.url, g.measure, g.scope, g.unit, g.indicator_key, g.base_key, g.target, g.value) AS text,
       first(g.sentence ORDER BY g.published DESC NULLS LAST, g.url, g.measure, g.scope, g.unit, g.indicator_key, g.base_key, g.target, g.value) AS sentence,
       first(g.indicator ORDER BY g.published DESC NULLS LAST, g.url, g.measure, g.scope, g.unit, g.indicator_key, g.base_key, g.target, g.value) AS indicator,
       any_value(h.n_values) AS n_values, any_value(h.periods) AS periods
FROM g JOIN history h ON g.province = h.province AND g.period = h.period
GROUP BY g.province, h.period
ORDER BY g.province
