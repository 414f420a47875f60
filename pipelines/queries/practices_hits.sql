-- The practices `xdd practices` lists (the `hits` of practices_records.sql): those passing the
-- filters, null when not asked for; $district, $commune and $actor are LIKE patterns over
-- ' ' || key || ' ' (keys: words folded by nlp.text.fold; user input escaped with '\').
hits AS (     -- the practices passing the filters: only what grouping needs
    SELECT p.doc_id, p.start, p.passage_key, a.duplicate_of, a.published
    FROM practices p
    JOIN articles a USING (doc_id)
    WHERE ($provinces IS NULL OR p.province IN (SELECT unnest($provinces::VARCHAR[])))
      AND ($provinces_2025 IS NULL OR p.province_2025 IN (SELECT unnest($provinces_2025::VARCHAR[])))
      AND ($district IS NULL OR ' ' || p.district_key || ' ' LIKE $district ESCAPE '\')
      AND ($commune IS NULL OR ' ' || p.commune_key || ' ' LIKE $commune ESCAPE '\')
      AND ($actor IS NULL OR ' ' || p.actor_key || ' ' LIKE $actor ESCAPE '\')
      AND ($category IS NULL OR p.category = $category)
      AND ($documents IS NULL OR list_has_any(p.documents, $documents::VARCHAR[]))
      AND ($since IS NULL OR a.published >= CAST($since AS DATE))
)
