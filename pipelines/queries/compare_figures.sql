-- Every figure of one series (`xdd compare --history`, and what --per divides): the indicator
-- by key, or by tone-folded text when it has no key; measure, scope and unit (a null
-- parameter: any); targets only with $targets; with $year only the periods of that year (not
-- terms such as 2020/2025). Only figures a row can show: a value, a period and a link.
SELECT doc_id, text, sentence, start, "end", value, unit, qualifier, indicator, indicator_key, measure, scope,
       subject, province, province_2025, period, period_source,
       title, url, CAST(published AS VARCHAR) AS published, source
FROM metric_facts
WHERE (base_key = $key OR indicator_key = $key OR ($key IS NULL AND strip_accents(lower(indicator)) = strip_accents(lower($indicator))))
  AND ($unit IS NULL OR unit = $unit)
  AND ($measure IS NULL OR measure = $measure)
  AND ($scope IS NULL OR scope = $scope)
  AND ($targets OR coalesce(qualifier, '') <> 'target')
  AND ($year IS NULL OR (left(period, 4) = $year AND NOT contains(period, '/')))
  AND value IS NOT NULL AND url IS NOT NULL AND period IS NOT NULL
ORDER BY province, period, published, doc_id, start
