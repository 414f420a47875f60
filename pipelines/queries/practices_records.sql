-- Practice records (`xdd practices`), one per practice however many outlets reported it.
-- Filters are null when not asked for; $district, $commune and $actor are LIKE patterns over
-- ' ' || key || ' ' (keys: words folded by nlp.text.fold; user input escaped with '\').
-- A practice of a near-duplicate copy (articles.duplicate_of) is the practice of its original
-- whose passage is the same or differs by at most a fifth of its characters; identical passages
-- (syndication) are one record anywhere. The record's fields are its original's (not a copy,
-- earliest published); `sources` lists every article that reported it.
WITH hits AS (
    SELECT p.*, a.source, a.url, a.title, a.published, a.duplicate_of
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
),
matched AS (      -- a copy's practice → the passage key of its original's practice
    SELECT h.doc_id, h.start,
           arg_min(o.passage_key, levenshtein(o.passage_key, h.passage_key)) AS original_key
    FROM hits h
    JOIN practices o ON o.doc_id = h.duplicate_of
    WHERE levenshtein(o.passage_key, h.passage_key) <= greatest(length(o.passage_key), length(h.passage_key)) / 5
    GROUP BY h.doc_id, h.start
),
keyed AS (
    SELECT h.*, coalesce(m.original_key, h.passage_key, h.doc_id || ':' || h.start) AS record_key,
           row_number() OVER (PARTITION BY coalesce(m.original_key, h.passage_key, h.doc_id || ':' || h.start)
                              ORDER BY h.duplicate_of IS NOT NULL, h.published NULLS LAST, h.doc_id, h.start) AS rank
    FROM hits h
    LEFT JOIN matched m USING (doc_id, start)
),
sources AS (
    SELECT record_key,
           list(struct_pack(source := source, url := url, published := CAST(published AS VARCHAR), doc_id := doc_id,
                            start := start, "end" := "end")
                ORDER BY published NULLS LAST, doc_id) AS sources,
           min(published) AS first_published
    FROM keyed
    GROUP BY record_key
),
records AS (
    SELECT k.*, s.sources, s.first_published
    FROM keyed k JOIN sources s USING (record_key)
    WHERE k.rank = 1
    ORDER BY s.first_published DESC NULLS LAST, k.doc_id, k.start
    LIMIT $limit
),
outcomes AS (     -- each outcome is a metrics row of the same article, found by its offsets
    SELECT o.doc_id, o.pstart,
           list(struct_pack(text := substr(a.text, o.s + 1, o.e - o.s), start := o.s, "end" := o.e,
                            value := m.value, unit := m.unit, indicator := m.indicator) ORDER BY o.i) AS outcome
    FROM (SELECT doc_id, start AS pstart, unnest(outcome_start) AS s, unnest(outcome_end) AS e,
                 generate_subscripts(outcome_start, 1) AS i
          FROM records) o
    JOIN articles a USING (doc_id)
    LEFT JOIN metrics m ON m.doc_id = o.doc_id AND m.start = o.s AND m."end" = o.e
    GROUP BY o.doc_id, o.pstart
)
SELECT r.doc_id || ':' || r.start AS practice_id, r.category, r.text, r.doc_id, r.start, r."end",
       r.actor, r.actor_norm, r.actor_start, r.actor_end,
       r.place_name, r.place_level, r.commune, r.district, r.province, r.province_2025,
       coalesce(r.documents, []::VARCHAR[]) AS documents,
       o.outcome,
       r."time", r.score, r.title, CAST(r.published AS VARCHAR) AS published, r.source, r.url, r.sources
FROM records r
LEFT JOIN outcomes o ON o.doc_id = r.doc_id AND o.pstart = r.start
ORDER BY r.first_published DESC NULLS LAST, r.doc_id, r.start
