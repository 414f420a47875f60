-- The bit of a practice category in the postings' `cats` (none past 62: those categories are
-- filtered through search_allowed.sql).
SELECT bit FROM search_categories WHERE category = $category AND bit < 63
