-- Fragment (update_metric_facts.sql): figure row f belongs to group g (metric_periods' key)
f.base_key = g.base_key AND f.province = g.province AND f.period = g.period
AND coalesce(f.qualifier = 'target', false) = g.target
AND f.indicator_key IS NOT DISTINCT FROM g.indicator_key AND f.unit IS NOT DISTINCT FROM g.unit
AND f.measure IS NOT DISTINCT FROM g.measure AND f.scope IS NOT DISTINCT FROM g.scope
