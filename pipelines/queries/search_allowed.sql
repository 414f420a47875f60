-- Units passing the filters the postings do not carry (each optional: NULL means none): a cited
-- document (its units from search_document_units), a district named in the article (a place
-- name containing it, search_place_docs), a practice category without a bit in `cats` (an
-- article passes when one of its practices is in it).
SELECT unit_key FROM (
    SELECT unit_key, doc_id, kind, category FROM search_document_units WHERE key = $document
    UNION ALL
    SELECT unit_key, doc_id, kind, category FROM search_units WHERE $document::VARCHAR IS NULL)
WHERE ($district::VARCHAR IS NULL
       OR doc_id IN (SELECT doc_id FROM search_place_docs
                     WHERE folded LIKE '%' || strip_accents(lower($district)) || '%'))
  AND ($category::VARCHAR IS NULL OR category = $category
       OR (kind = 'article' AND doc_id IN (SELECT doc_id FROM practices WHERE category = $category)))
