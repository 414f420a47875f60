-- search_text: the text of each search unit (an article with its title and lead, or a practice
-- passage) as its index terms, for DuckDB's own FTS index (`xdd index --fts`): tone-folded
-- syllables then syllable bigrams joined by '_', as in pipelines/textindex.py (DuckDB's
-- strip_accents keeps the rare letters without a decomposition that the Python folding drops).
-- Syndicated copies are left out, as in the BM25 postings.
CREATE OR REPLACE TABLE search_text AS
WITH body AS (
    SELECT u.unit_id,
           CASE WHEN u.kind = 'article' THEN concat_ws(' ', a.title, a.lead) || chr(10) || a.text
                ELSE substr(a.text, u.start + 1, u."end" - u.start) END AS body
    FROM search_units u JOIN articles a USING (doc_id)
    WHERE a.duplicate_of IS NULL),
sy AS (
    SELECT unit_id,
           regexp_extract_all(strip_accents(replace(replace(lower(body), 'đ', 'd'), 'ð', 'd')), '[a-z0-9]+') AS s
    FROM body)
SELECT unit_id,
       array_to_string(list_concat(s, list_transform(range(1, len(s)), i -> s[i] || '_' || s[i + 1])), ' ') AS terms
FROM sy
