-- 009: an index on search_units.unit_key. A search ends by fetching its ten best units by key;
-- keys are hashes, so without an index that is a scan of the whole table.
CREATE INDEX IF NOT EXISTS search_units_unit_key ON search_units (unit_key);
