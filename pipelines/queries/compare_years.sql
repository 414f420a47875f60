-- The years one series has figures for (periods within a year; terms such as 2020/2025 apart),
-- each with how many provinces have a figure that year: the compare page's timeline. Reads the
-- per-period summaries of the figure index (metric_periods), as compare_latest does.
WITH s AS (
{{series_periods}}
)
SELECT left(period, 4) AS year, count(DISTINCT province)::BIGINT AS provinces
FROM s
WHERE NOT contains(period, '/')
GROUP BY year
ORDER BY year
