-- 012: practice records. A practice (a passage of articles.text, offsets start/end) gains who
-- adopted it, where, which documents it carries out, its outcome figures and its time, as the
-- extraction gives them (nlp/practice_records.py):
--   actor, actor_norm, actor_start, actor_end   the party body (an ORG mention; offsets into articles.text)
--   place_name, place_level                     the finest place named (level commune | district | province)
--   commune, district, province, province_2025  the place's units as reported (district and
--                                               province existed before; province_2025: after the merger)
--   documents                                   keys of the documents it carries out (`05-CT/TW`)
--   outcome_start, outcome_end                  its outcome figures: offsets of metrics rows of the same
--                                               doc_id (metrics.start / metrics."end"), in text order
--   time                                        `YYYY`, a period (`2020-2025`), or null
-- Lookup keys, written by the load with nlp.text.fold (the one folding function of every lookup):
--   actor_key, commune_key, district_key, and passage_key (the passage's folded words, which finds
--   one practice reported by several outlets).
-- Practices loaded before have these null until their article is extracted and loaded again.
ALTER TABLE practices ADD COLUMN IF NOT EXISTS actor VARCHAR;
ALTER TABLE practices ADD COLUMN IF NOT EXISTS actor_norm VARCHAR;
ALTER TABLE practices ADD COLUMN IF NOT EXISTS actor_start INTEGER;
ALTER TABLE practices ADD COLUMN IF NOT EXISTS actor_end INTEGER;
ALTER TABLE practices ADD COLUMN IF NOT EXISTS place_name VARCHAR;
ALTER TABLE practices ADD COLUMN IF NOT EXISTS place_level VARCHAR;
ALTER TABLE practices ADD COLUMN IF NOT EXISTS commune VARCHAR;
ALTER TABLE practices ADD COLUMN IF NOT EXISTS documents VARCHAR[];
ALTER TABLE practices ADD COLUMN IF NOT EXISTS outcome_start INTEGER[];
ALTER TABLE practices ADD COLUMN IF NOT EXISTS outcome_end INTEGER[];
ALTER TABLE practices ADD COLUMN IF NOT EXISTS "time" VARCHAR;
ALTER TABLE practices ADD COLUMN IF NOT EXISTS actor_key VARCHAR;
ALTER TABLE practices ADD COLUMN IF NOT EXISTS commune_key VARCHAR;
ALTER TABLE practices ADD COLUMN IF NOT EXISTS district_key VARCHAR;
ALTER TABLE practices ADD COLUMN IF NOT EXISTS passage_key VARCHAR;
