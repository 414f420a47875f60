-- 003: search units also carry the practice's district (results show it without a join).
ALTER TABLE search_units ADD COLUMN IF NOT EXISTS district VARCHAR;
