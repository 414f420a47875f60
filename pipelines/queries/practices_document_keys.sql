-- Every document key practices carry out (to resolve a key as a user types it).
SELECT DISTINCT unnest(documents) AS key FROM practices
