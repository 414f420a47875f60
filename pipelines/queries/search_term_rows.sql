SELECT unit_key, w, practice, province_key, province_2025_key, day, source_key, cats
FROM /*TABLE*/
WHERE term_key = $term AND ($place::BIGINT IS NULL OR province_2025_key = $place)
