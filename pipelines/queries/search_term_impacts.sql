SELECT unit_id, w FROM search_impacts WHERE term = ?
