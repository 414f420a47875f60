SELECT unit_key, w FROM search_postings WHERE term_key = ?
