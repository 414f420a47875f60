-- 004: whether a figure is about a whole province/city (compare's default scope), set at load.
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS province_scope BOOLEAN;
