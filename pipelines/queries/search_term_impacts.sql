SELECT unit_key, practice, w FROM search_impacts WHERE term_key = ?
