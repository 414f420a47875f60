-- 007: fill 006's keys, lengths and term frequencies from the stored terms text (a separate
-- transaction: DuckDB does not commit an UPDATE in the transaction that altered the table).
UPDATE search_units u
SET unit_key = (md5_number_upper(u.unit_id || '|' || coalesce(a.content_hash, 'None') || '|'
                                 || coalesce(a.extraction_hash, 'None')) >> 1)::BIGINT,
    n_terms = CASE WHEN coalesce(u.terms, '') = '' THEN 0 ELSE len(string_split(u.terms, ' ')) END
FROM articles a
WHERE a.doc_id = u.doc_id;
INSERT INTO search_tf
SELECT unit_key,
       CASE WHEN contains(term, '_')
            THEN xor((md5_number_upper(split_part(term, '_', 1)) >> 1)::BIGINT,
                     (md5_number_upper(split_part(term, '_', 2)) >> 2)::BIGINT)
            ELSE (md5_number_upper(term) >> 1)::BIGINT END,
       count(*)::INTEGER
FROM (SELECT unit_key, unnest(string_split(terms, ' ')) AS term FROM search_units WHERE coalesce(terms, '') <> '')
WHERE term <> ''
GROUP BY ALL;
