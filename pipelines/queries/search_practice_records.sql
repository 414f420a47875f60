-- The record fields of practice search hits, read from their own rows (no grouping of
-- syndicated copies: `xdd practices` does that): $keys = ['doc_id:start', ...].
WITH wanted AS (
    SELECT split_part(k, ':', 1) AS doc_id, TRY_CAST(split_part(k, ':', 2) AS INTEGER) AS start
    FROM (SELECT unnest($keys::VARCHAR[]) AS k)
), hits AS (
    SELECT p.doc_id, p.start, p.actor, p.actor_norm, p.place_name, p.place_level, p.commune,
           p.documents, p.time, p.outcome_start, p.outcome_end
    FROM practices p JOIN wanted w ON p.doc_id = w.doc_id AND p.start = w.start
), outcome AS (
    SELECT h.doc_id, h.start,
           list({'text': m.text, 'start': m.start, 'end': m."end", 'value': m.value, 'unit': m.unit,
                 'indicator': m.indicator} ORDER BY m.start) AS outcome
    FROM (SELECT doc_id, start, unnest(outcome_start) AS os, unnest(outcome_end) AS oe FROM hits) h
    JOIN metrics m ON m.doc_id = h.doc_id AND m.start = h.os AND m."end" = h.oe
    GROUP BY h.doc_id, h.start
)
SELECT h.doc_id || ':' || h.start AS key, h.actor, h.actor_norm, h.place_name, h.place_level, h.commune,
       h.documents, coalesce(o.outcome, []) AS outcome, h.time
FROM hits h LEFT JOIN outcome o USING (doc_id, start)
