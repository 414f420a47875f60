-- Sentences of a set of documents, for snippets.
SELECT doc_id, start, "end", text FROM sentences WHERE doc_id IN (SELECT unnest($doc_ids::VARCHAR[])) ORDER BY doc_id, sent_id
