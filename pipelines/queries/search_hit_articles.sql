-- The articles of the top units ($docs, a bound list): title, date, URL and text.
SELECT doc_id, title, url, source, CAST(published AS VARCHAR) AS published, text
FROM articles
WHERE doc_id = ANY($docs::VARCHAR[])
