-- Totals over articles that are not copies.
SELECT
  (SELECT count(*) FROM articles WHERE duplicate_of IS NULL) AS articles,
  (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL) AS copies,
  (SELECT count(DISTINCT d.key) FROM directives d JOIN articles a USING (doc_id) WHERE a.duplicate_of IS NULL AND d.key IS NOT NULL) AS documents,
  (SELECT count(*) FROM directives d JOIN articles a USING (doc_id) WHERE a.duplicate_of IS NULL) AS citations,
  (SELECT count(*) FROM mentions m JOIN articles a USING (doc_id) WHERE a.duplicate_of IS NULL AND m.label = 'ORG') AS bodies,
  (SELECT count(*) FROM places p JOIN articles a USING (doc_id) WHERE a.duplicate_of IS NULL) AS places,
  (SELECT count(*) FROM metrics m JOIN articles a USING (doc_id) WHERE a.duplicate_of IS NULL) AS figures,
  (SELECT count(*) FROM practices p JOIN articles a USING (doc_id) WHERE a.duplicate_of IS NULL) AS practices,
  (SELECT count(DISTINCT province) FROM articles WHERE duplicate_of IS NULL AND province IS NOT NULL) AS provinces
