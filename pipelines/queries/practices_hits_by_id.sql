-- The practices named by id ($ids: 'doc_id:start', e.g. search hits), their copies (articles.duplicate_of)
-- and their word-for-word twins: the `hits` of practices_records.sql for pipelines.practices.practice_records_by_id.
wanted AS (
    SELECT regexp_extract(id, '^(.*):[0-9]+$', 1) AS doc_id, CAST(regexp_extract(id, ':([0-9]+)$', 1) AS INTEGER) AS start
    FROM (SELECT unnest($ids::VARCHAR[]) AS id) WHERE id SIMILAR TO '.*:[0-9]+'
),
hits AS (
    SELECT p.doc_id, p.start, p.passage_key, a.duplicate_of, a.published
    FROM practices p
    JOIN articles a USING (doc_id)
    WHERE (p.doc_id, p.start) IN (SELECT doc_id, start FROM wanted)
       OR a.duplicate_of IN (SELECT doc_id FROM wanted)
       OR p.passage_key IN (SELECT q.passage_key FROM practices q JOIN wanted w USING (doc_id, start))
)
