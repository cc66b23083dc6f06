-- `dialogctl roi --by department` from dialogd.conversations, to the cent (docs/warehouse.md):
--   psql -v since=2026-01-01 -v until=2026-04-01 -f docs/warehouse/roi-by-department.sql
-- One row per counted department (`unassigned` included), then the total (department NULL).
-- minutes: summed seconds / 60 rounded half up, per row; roi: net / cost, NULL when cost is 0.
\ir window.sql
SELECT CASE WHEN grouping(department_counted) = 0 THEN department_counted END AS department,
       count(*) AS conversations,
       (coalesce(sum(duration_s_counted), 0)::bigint + 30) / 60 AS minutes,
       coalesce(sum(cost_cents), 0)::bigint AS cost_cents,
       coalesce(sum(value_cents_counted), 0)::bigint AS value_cents,
       coalesce(sum(net_cents), 0)::bigint AS net_cents,
       sum(net_cents)::float8 / nullif(sum(cost_cents), 0)::float8 AS roi
FROM dialogd.conversations
WHERE date >= :'since' AND date < :'until'
  AND cost_cents IS NOT NULL  -- unpriced rows (before `recompute`) are in no figure
GROUP BY GROUPING SETS ((department_counted), ())
ORDER BY grouping(department_counted), department_counted COLLATE "C";
