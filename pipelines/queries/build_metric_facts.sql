-- The figure index, rebuilt with the search index after a load changed anything: every
-- figure of an original article (syndicated copies left out) with the provenance that
-- `xdd compare` shows, sorted by indicator key so one indicator reads only its row groups.
CREATE OR REPLACE TABLE metric_facts AS
SELECT m.indicator_key, m.locality AS province, m.locality_2025 AS province_2025, m.period,
       m.period_source, m.value, m.unit, m.qualifier, m.indicator, m.subject, m.province_scope,
       m.doc_id, m.text, m.start, m."end", a.title, a.url, a.published, a.source
FROM metrics m
JOIN articles a USING (doc_id)
WHERE a.duplicate_of IS NULL
  AND m.locality IS NOT NULL
ORDER BY m.indicator_key, m.locality, m.period;

-- metric_periods: the figures of each indicator, unit, scope, province and period, summed up
-- (how many, their distinct values, the most recently published one with its words and link),
-- so `xdd compare` reads a few rows per province however large the corpus grows.
CREATE OR REPLACE TABLE metric_periods AS
SELECT indicator_key, unit, province_scope, province, period,
       any_value(province_2025) AS province_2025, count(*) AS n_values, list(DISTINCT value) AS vals,
       max(published) AS published, arg_max(value, published) AS value,
       arg_max(qualifier, published) AS qualifier, arg_max(url, published) AS url,
       arg_max(text, published) AS text
FROM metric_facts
WHERE indicator_key IS NOT NULL
GROUP BY indicator_key, unit, province_scope, province, period
ORDER BY indicator_key, province, period;
