-- The unit ids of units tied at the cut of a search ($units, a bound list), to break the tie.
SELECT unit_key, unit_id FROM search_units WHERE unit_key = ANY($units::BIGINT[])
