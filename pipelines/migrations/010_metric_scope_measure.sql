-- 010: contract v2 figures carry the level of the unit they are about (`scope`: country,
-- province, district, commune, organization) and the kind of quantity (`measure`: total, new,
-- inspected, disciplined, rated, trained, awarded, other); either may be null (and is, for
-- figures loaded before: reload or re-extract to fill them). A comparable series is (indicator,
-- measure, scope, unit). `base_key` is the indicator's key without the words of its measure
-- (`đảng viên kết nạp mới`, new: the key of `đảng viên`; see pipelines.series.base_key), so a
-- series of one indicator finds every measure's figures. The figure index of the old layout goes: the next `xdd load` or
-- `xdd index` rebuilds it with these columns.
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS scope VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS measure VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS base_key VARCHAR;
DROP TABLE IF EXISTS metric_facts;
DROP TABLE IF EXISTS metric_periods;
