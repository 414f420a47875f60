-- The latest figure of one indicator per province: its period, value (the most recently
-- published if several), a conflict flag (different values for that period), the history size
-- and a source link. Reads the per-period summaries of the figure index (metric_periods in
-- build_metric_facts.sql), which holds originals only.
WITH g AS (
    SELECT *
    FROM metric_periods
    WHERE indicator_key = $key
      AND ($unit IS NULL OR unit = $unit)
      AND ($all_scopes OR province_scope)
),
history AS (
    SELECT province, max(period) AS period, sum(n_values)::BIGINT AS n_values,
           string_agg(DISTINCT period, ', ' ORDER BY period) AS periods
    FROM g GROUP BY province
)
SELECT g.province, any_value(g.province_2025) AS province_2025, h.period,
       arg_max(g.value, g.published) AS value, any_value(g.unit) AS unit,
       arg_max(g.qualifier, g.published) AS qualifier, len(list_distinct(flatten(list(g.vals)))) > 1 AS conflict,
       arg_max(g.url, g.published) AS source, arg_max(g.text, g.published) AS text,
       any_value(h.n_values) AS n_values, any_value(h.periods) AS periods
FROM g JOIN history h ON g.province = h.province AND g.period = h.period
GROUP BY g.province, h.period
ORDER BY g.province
