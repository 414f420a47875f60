-- Counts per province (articles that are not copies).
SELECT a.province,
       count(DISTINCT a.doc_id) AS articles,
       (SELECT count(*) FROM directives d JOIN articles x USING (doc_id) WHERE x.province = a.province AND x.duplicate_of IS NULL) AS documents,
       (SELECT count(*) FROM mentions m JOIN articles x USING (doc_id) WHERE m.label = 'ORG' AND x.province = a.province AND x.duplicate_of IS NULL) AS bodies,
       (SELECT count(*) FROM places p JOIN articles x USING (doc_id) WHERE x.province = a.province AND x.duplicate_of IS NULL) AS places,
       (SELECT count(*) FROM metrics m JOIN articles x USING (doc_id) WHERE x.province = a.province AND x.duplicate_of IS NULL) AS figures,
       (SELECT count(*) FROM practices p JOIN articles x USING (doc_id) WHERE x.province = a.province AND x.duplicate_of IS NULL) AS practices
FROM articles a
WHERE a.duplicate_of IS NULL
GROUP BY a.province
ORDER BY a.province NULLS LAST
