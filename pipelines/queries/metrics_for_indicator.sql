-- Every figure of one indicator (by key, or by tone-folded text when no key), with provenance,
-- from the figure index (build_metric_facts.sql), of every measure and scope.
SELECT doc_id, text, start, "end", value, unit, qualifier, indicator, indicator_key, measure, scope,
       subject, province, province_2025, period, period_source,
       title, url, CAST(published AS VARCHAR) AS published, source
FROM metric_facts
WHERE (indicator_key = $key OR ($key IS NULL AND strip_accents(lower(indicator)) = strip_accents(lower($indicator))))
  AND ($unit IS NULL OR unit = $unit)
ORDER BY province, period, published
