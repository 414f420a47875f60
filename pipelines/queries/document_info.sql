SELECT key, kind, number, issuer, issuing_body, CAST(date AS VARCHAR) AS date, term, title FROM documents WHERE key = $key
