-- BM25 over search_units (articles and practices), using the postings that
-- rebuild_search_index derives from DuckDB's FTS index. Only the query's terms are read.
-- Parameters: $terms VARCHAR[], $k1, $b, $limit, and nullable filters.
WITH q AS (SELECT DISTINCT unnest($terms::VARCHAR[]) AS term),
st AS (SELECT n, avgdl FROM search_stats),
scored AS (
    SELECT p.unit_id,
           sum(ln(1 + (st.n - d.df + 0.5) / (d.df + 0.5))
               * p.tf * ($k1 + 1) / (p.tf + $k1 * (1 - $b + $b * p.len / st.avgdl))) AS score,
           count(*) AS matched
    FROM search_postings p
    JOIN q USING (term)
    JOIN search_df d USING (term)
    CROSS JOIN st
    GROUP BY p.unit_id
)
SELECT u.unit_id, u.kind, u.doc_id, u.start, u."end", s.score, s.matched,
       a.title, a.url, a.source, CAST(a.published AS VARCHAR) AS published,
       coalesce(pr.province, a.province) AS province,
       coalesce(pr.province_2025, a.province_2025) AS province_2025,
       pr.district, pr.category, pr.text AS practice_text
FROM scored s
JOIN search_units u USING (unit_id)
JOIN articles a ON a.doc_id = u.doc_id
LEFT JOIN practices pr ON u.kind = 'practice' AND pr.doc_id = u.doc_id AND pr.start = u.start
WHERE a.duplicate_of IS NULL
  AND ($kind IS NULL OR u.kind = $kind)
  AND ($source IS NULL OR a.source = $source)
  AND ($since IS NULL OR a.published >= CAST($since AS TIMESTAMPTZ))
  AND ($until IS NULL OR a.published < CAST($until AS TIMESTAMPTZ) + INTERVAL 1 DAY)
  AND ($provinces IS NULL OR coalesce(pr.province, a.province) IN (SELECT unnest($provinces::VARCHAR[])))
  AND ($provinces_2025 IS NULL OR coalesce(pr.province_2025, a.province_2025) IN (SELECT unnest($provinces_2025::VARCHAR[])))
  AND ($category IS NULL OR pr.category = $category
       OR (u.kind = 'article' AND EXISTS (SELECT 1 FROM practices x WHERE x.doc_id = u.doc_id AND x.category = $category)))
  AND ($document IS NULL OR EXISTS (SELECT 1 FROM directives d WHERE d.doc_id = u.doc_id AND d.key = $document))
  AND ($district IS NULL OR EXISTS (SELECT 1 FROM places pl WHERE pl.doc_id = u.doc_id
                                    AND strip_accents(lower(pl.name)) LIKE '%' || strip_accents(lower($district)) || '%'))
ORDER BY s.score DESC, u.unit_id
LIMIT $limit
