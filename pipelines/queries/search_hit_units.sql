-- The top units ($units, a bound list: the table is probed, not joined in full): kind, place,
-- category and the span of a practice.
SELECT unit_key, unit_id, kind, doc_id, start, "end", province, province_2025, district, category
FROM search_units
WHERE unit_key = ANY($units::BIGINT[])
