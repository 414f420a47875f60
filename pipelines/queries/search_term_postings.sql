SELECT unit_id, w FROM search_postings WHERE term = ?
