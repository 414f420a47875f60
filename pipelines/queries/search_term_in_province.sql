SELECT unit_key, w FROM search_postings
WHERE term_key = ? AND province_2025_key = ? AND (?::BIGINT IS NULL OR province_key = ?)
  AND (?::VARCHAR IS NULL OR practice = (? = 'practice'))
