-- Practices reported in one province (as reported, or across the merger via province_2025).
SELECT p.category, p.text, p.district, p.province, a.title, CAST(a.published AS VARCHAR) AS published, a.url, p.doc_id, p.start, p."end"
FROM practices p
JOIN articles a USING (doc_id)
WHERE a.duplicate_of IS NULL
  AND ($provinces IS NULL OR p.province IN (SELECT unnest($provinces::VARCHAR[])))
  AND ($provinces_2025 IS NULL OR p.province_2025 IN (SELECT unnest($provinces_2025::VARCHAR[])))
  AND ($category IS NULL OR p.category = $category)
ORDER BY a.published DESC NULLS LAST, p.doc_id, p.start
