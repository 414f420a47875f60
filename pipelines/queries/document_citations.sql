-- Articles citing one document (by key), with the bodies and places each names, by year.
SELECT CAST(year(a.published) AS INTEGER) AS year, a.doc_id, a.title, a.url, CAST(a.published AS VARCHAR) AS published,
       a.province, count(*) AS citations,
       (SELECT string_agg(DISTINCT m.norm, '; ') FROM mentions m WHERE m.doc_id = a.doc_id AND m.label = 'ORG') AS bodies,
       (SELECT string_agg(DISTINCT p.name, '; ') FROM places p WHERE p.doc_id = a.doc_id AND p.level IS DISTINCT FROM 'body') AS places,
       min(d.text) AS cited_as
FROM directives d
JOIN articles a USING (doc_id)
WHERE d.key = $key AND a.duplicate_of IS NULL
GROUP BY ALL
ORDER BY year NULLS LAST, published, a.doc_id
