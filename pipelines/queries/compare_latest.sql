-- The latest figure of one indicator per province: its period, value (the most recently
-- published if several), a conflict flag (different values for that period), the history size
-- and a source link. Copies of syndicated articles are never counted.
WITH f AS (
    SELECT m.locality AS province, m.locality_2025 AS province_2025, m.period, m.value, m.unit,
           m.qualifier, m.text, a.url, a.published
    FROM metrics m
    JOIN articles a USING (doc_id)
    WHERE a.duplicate_of IS NULL
      AND m.locality IS NOT NULL
      AND m.indicator_key = $key
      AND ($unit IS NULL OR m.unit = $unit)
      AND ($all_scopes OR m.province_scope)
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
