-- Every figure of one indicator (by key, or by tone-folded text when no key), with provenance.
SELECT m.doc_id, m.text, m.start, m."end", m.value, m.unit, m.qualifier, m.indicator, m.indicator_key,
       m.subject, m.locality AS province, m.locality_2025 AS province_2025, m.period, m.period_source,
       a.title, a.url, CAST(a.published AS VARCHAR) AS published, a.source
FROM metrics m
JOIN articles a USING (doc_id)
WHERE a.duplicate_of IS NULL
  AND m.locality IS NOT NULL
  AND (m.indicator_key = $key OR ($key IS NULL AND strip_accents(lower(m.indicator)) = strip_accents(lower($indicator))))
  AND ($unit IS NULL OR m.unit = $unit)
ORDER BY m.locality, m.period, a.published
