-- Titles of documents from the catalog, for the keys asked ($keys: a list of keys).
SELECT key, kind, title FROM documents WHERE key IN (SELECT unnest($keys::VARCHAR[])) ORDER BY key
