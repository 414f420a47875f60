SELECT unit_id, w FROM search_postings
WHERE term = ? AND province_2025 = ? AND (?::VARCHAR IS NULL OR province = ?) AND (?::VARCHAR IS NULL OR kind = ?)
