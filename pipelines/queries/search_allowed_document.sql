-- The units of the articles citing one document (--document alone: search_allowed.sql without
-- the other conditions, reading only the document's slice of search_document_units).
SELECT unit_key FROM search_document_units WHERE key = $document
