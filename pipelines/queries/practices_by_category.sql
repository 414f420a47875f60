-- Number of practices per province and category (copies excluded).
SELECT coalesce(p.province, '(unknown)') AS province, p.category, count(*) AS practices
FROM practices p JOIN articles a USING (doc_id)
WHERE a.duplicate_of IS NULL
GROUP BY ALL
ORDER BY province, practices DESC
