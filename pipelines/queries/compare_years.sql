-- The years one series has figures for (periods within a year; terms such as 2020/2025 apart),
-- each with how many provinces have a figure that year: the compare page's timeline. Reads the
-- per-period summaries of the figure index (metric_periods), as compare_latest does.
SELECT left(period, 4) AS year, count(DISTINCT province)::BIGINT AS provinces
FROM metric_periods
WHERE (base_key = $key OR indicator_key = $key)
  AND ($unit IS NULL OR unit = $unit)
  AND ($measure IS NULL OR measure = $measure)
  AND ($scope IS NULL OR scope = $scope)
  AND ($targets OR NOT target)
  AND NOT contains(period, '/')
GROUP BY year
ORDER BY year
