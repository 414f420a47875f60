-- Units passing the search filters (every filter is optional: NULL means no filter).
SELECT u.unit_key
FROM search_units u
JOIN articles a ON a.doc_id = u.doc_id
WHERE a.duplicate_of IS NULL
  AND ($kind IS NULL OR u.kind = $kind)
  AND ($source IS NULL OR a.source = $source)
  AND ($since IS NULL OR a.published >= CAST($since AS TIMESTAMPTZ))
  AND ($until IS NULL OR a.published < CAST($until AS TIMESTAMPTZ) + INTERVAL 1 DAY)
  AND ($provinces IS NULL OR u.province IN (SELECT unnest($provinces::VARCHAR[])))
  AND ($provinces_2025 IS NULL OR u.province_2025 IN (SELECT unnest($provinces_2025::VARCHAR[])))
  AND ($category IS NULL OR u.category = $category
       OR (u.kind = 'article' AND u.doc_id IN (SELECT doc_id FROM practices WHERE category = $category)))
  AND ($document IS NULL OR u.doc_id IN (SELECT doc_id FROM directives WHERE key = $document))
  AND ($district IS NULL OR u.doc_id IN (SELECT doc_id FROM places
                                         WHERE strip_accents(lower(name)) LIKE '%' || strip_accents(lower($district)) || '%'))
