-- 002: search units carry their place and category, so filters need no join with practices.
ALTER TABLE search_units ADD COLUMN IF NOT EXISTS province VARCHAR;
ALTER TABLE search_units ADD COLUMN IF NOT EXISTS province_2025 VARCHAR;
ALTER TABLE search_units ADD COLUMN IF NOT EXISTS category VARCHAR;
