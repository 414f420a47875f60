-- Fragment: the per-period summaries (metric_periods) of one series: indicator (by key), measure,
-- scope and unit (a null parameter: any), targets only with $targets. Included by compare_latest
-- and compare_years.
SELECT *
FROM metric_periods
WHERE (base_key = $key OR indicator_key = $key)
  AND ($unit IS NULL OR unit = $unit)
  AND ($measure IS NULL OR measure = $measure)
  AND ($scope IS NULL OR scope = $scope)
  AND ($targets OR NOT target)
