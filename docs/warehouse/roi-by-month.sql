-- `dialogctl roi --by month` from dialogd.conversations, to the cent (docs/warehouse.md):
--   psql -v tz=Europe/Berlin -v since=-infinity -v until=infinity -f docs/warehouse/roi-by-month.sql
-- `tz` is `[records] timezone` of dialogd.conf (default: UTC). As in dialogd, a conversation
-- counts in the local month of the first second of its UTC hour (exact for whole-hour offsets).
\ir window.sql
\if :{?tz}
\else
  \set tz UTC
\endif
SELECT CASE WHEN grouping(month) = 0 THEN month END AS month,
       count(*) AS conversations,
       (coalesce(sum(duration_s_counted), 0)::bigint + 30) / 60 AS minutes,
       coalesce(sum(cost_cents), 0)::bigint AS cost_cents,
       coalesce(sum(value_cents_counted), 0)::bigint AS value_cents,
       coalesce(sum(net_cents), 0)::bigint AS net_cents,
       sum(net_cents)::float8 / nullif(sum(cost_cents), 0)::float8 AS roi
FROM dialogd.conversations,
     LATERAL (SELECT to_char(date_trunc('hour', date, 'UTC') AT TIME ZONE :'tz', 'YYYY-MM') AS month) AS m
WHERE date >= :'since' AND date < :'until'
  AND cost_cents IS NOT NULL
GROUP BY GROUPING SETS ((month), ())
ORDER BY grouping(month), month COLLATE "C";
