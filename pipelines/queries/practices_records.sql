-- Practice records (`xdd practices`), one per practice however many outlets reported it.
-- Follows `WITH <hits>,` where <hits> is practices_hits.sql (the filters) or
-- practices_hits_by_id.sql (pipelines.practices.compose): the practices asked for, as
-- (doc_id, start, passage_key, duplicate_of, published).
-- A practice of a near-duplicate copy (articles.duplicate_of) is the practice of its original
-- that shares at least four fifths of the words (of the longer one) with it; identical passages
-- (syndication) are one record anywhere. The record's fields are its original's (not a copy,
-- earliest published); `sources` lists every article that reported it.
matched AS (      -- a copy's practice → the passage key of its original's practice sharing most words
    SELECT c.doc_id, c.start, arg_max(c.okey, c.shared) AS original_key
    FROM (SELECT h.doc_id, h.start, o.passage_key AS okey, w.words AS hw, list_distinct(string_split(o.passage_key, ' ')) AS ow,
                 len(list_intersect(w.words, ow)) AS shared
          FROM hits h
          JOIN practices o ON o.doc_id = h.duplicate_of
          CROSS JOIN LATERAL (SELECT list_distinct(string_split(h.passage_key, ' ')) AS words) w) c
    WHERE c.shared >= 0.8 * greatest(len(c.hw), len(c.ow))
    GROUP BY c.doc_id, c.start
),
keyed AS (
    SELECT h.*, coalesce(m.original_key, h.passage_key, h.doc_id || ':' || h.start) AS record_key
    FROM hits h
    LEFT JOIN matched m USING (doc_id, start)
),
records AS (      -- one per record: its own practice (not a copy's, earliest published), newest first
    SELECT record_key,
           arg_min(doc_id, struct_pack(copy := duplicate_of IS NOT NULL, published := coalesce(published, 'infinity'::TIMESTAMPTZ),
                                       doc_id := doc_id, start := start)) AS own_doc,
           arg_min(start, struct_pack(copy := duplicate_of IS NOT NULL, published := coalesce(published, 'infinity'::TIMESTAMPTZ),
                                      doc_id := doc_id, start := start)) AS own_start,
           min(published) AS first_published
    FROM keyed
    GROUP BY record_key
    ORDER BY first_published DESC NULLS LAST, own_doc, own_start
    LIMIT $limit
),
sources AS (
    SELECT k.record_key,
           list(struct_pack(source := a.source, url := a.url, published := CAST(a.published AS VARCHAR),
                            doc_id := k.doc_id, start := k.start, "end" := p."end")
                ORDER BY a.published NULLS LAST, k.doc_id) AS sources
    FROM keyed k
    JOIN records USING (record_key)
    JOIN articles a USING (doc_id)
    JOIN practices p ON p.doc_id = k.doc_id AND p.start = k.start
    GROUP BY k.record_key
),
outcomes AS (     -- each outcome is a metrics row of the same article, found by its offsets
    SELECT o.doc_id, o.pstart,
           list(struct_pack(text := substr(a.text, o.s + 1, o.e - o.s), start := o.s, "end" := o.e,
                            value := m.value, unit := m.unit, indicator := m.indicator) ORDER BY o.i) AS outcome
    FROM (SELECT p.doc_id, p.start AS pstart, unnest(p.outcome_start) AS s, unnest(p.outcome_end) AS e,
                 generate_subscripts(p.outcome_start, 1) AS i
          FROM records r JOIN practices p ON p.doc_id = r.own_doc AND p.start = r.own_start) o
    JOIN articles a USING (doc_id)
    LEFT JOIN metrics m ON m.doc_id = o.doc_id AND m.start = o.s AND m."end" = o.e
    GROUP BY o.doc_id, o.pstart
)
SELECT p.doc_id || ':' || p.start AS practice_id, p.category, p.text, p.doc_id, p.start, p."end",
       p.actor, p.actor_norm, p.actor_start, p.actor_end,
       p.place_name, p.place_level, p.commune, p.district, p.province, p.province_2025,
       coalesce(p.documents, []::VARCHAR[]) AS documents, o.outcome,
       p."time", p.score, a.title, CAST(a.published AS VARCHAR) AS published, a.source, a.url, s.sources
FROM records r
JOIN practices p ON p.doc_id = r.own_doc AND p.start = r.own_start
JOIN articles a ON a.doc_id = p.doc_id
JOIN sources s USING (record_key)
LEFT JOIN outcomes o ON o.doc_id = p.doc_id AND o.pstart = p.start
WHERE $ids IS NULL OR list_has_any([x.doc_id || ':' || x.start FOR x IN s.sources], $ids::VARCHAR[])
ORDER BY r.first_published DESC NULLS LAST, p.doc_id, p.start
