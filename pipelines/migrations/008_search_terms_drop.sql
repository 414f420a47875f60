-- 008: the terms text is no longer stored (006), and the derived tables of the old layout go:
-- the next `xdd load` or `xdd index` rebuilds them.
ALTER TABLE search_units DROP COLUMN terms;
DROP TABLE IF EXISTS search_postings;
DROP TABLE IF EXISTS search_impacts;
DROP TABLE IF EXISTS search_stats;
DROP TABLE IF EXISTS search_unit_categories;
