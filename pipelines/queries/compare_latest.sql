-- The latest figure of one indicator per province: its period, value (the most recently
-- published if several), a conflict flag (different values for that period), the history size
-- and a source link. Reads the figure index (build_metric_facts.sql), which holds originals only.
WITH f AS (
    SELECT province, province_2025, period, value, unit, qualifier, text, url, published
    FROM metric_facts
    WHERE indicator_key = $key
      AND ($unit IS NULL OR unit = $unit)
      AND ($all_scopes OR province_scope)
),
history AS (
    SELECT province, max(period) AS period, count(*) AS n_values,
           string_agg(DISTINCT period, ', ' ORDER BY period) AS periods
    FROM f GROUP BY province
)
SELECT f.province, any_value(f.province_2025) AS province_2025, h.period,
       arg_max(f.value, f.published) AS value, any_value(f.unit) AS unit,
       arg_max(f.qualifier, f.published) AS qualifier, count(DISTINCT f.value) > 1 AS conflict,
       arg_max(f.url, f.published) AS source, arg_max(f.text, f.published) AS text,
       any_value(h.n_values) AS n_values, any_value(h.periods) AS periods
FROM f JOIN history h ON f.province = h.province AND f.period = h.period
GROUP BY f.province, h.period
ORDER BY f.province
