-- `dialogctl roi --by channel_group` from dialogd.conversations, to the cent (docs/warehouse.md):
--   psql -v since=-infinity -v until=infinity -f docs/warehouse/roi-by-channel-group.sql
-- Groups come from dialogd.channel_groups (keep it in step with `[channel.NAME] group`); a
-- channel without one, and `unknown`, is in `other`.
\ir window.sql
SELECT CASE WHEN grouping(channel_group) = 0 THEN channel_group END AS channel_group,
       count(*) AS conversations,
       (coalesce(sum(duration_s_counted), 0)::bigint + 30) / 60 AS minutes,
       coalesce(sum(cost_cents), 0)::bigint AS cost_cents,
       coalesce(sum(value_cents_counted), 0)::bigint AS value_cents,
       coalesce(sum(net_cents), 0)::bigint AS net_cents,
       sum(net_cents)::float8 / nullif(sum(cost_cents), 0)::float8 AS roi
FROM dialogd.conversations c
     LEFT JOIN dialogd.channel_groups g ON g.channel = c.channel_counted,
     LATERAL (SELECT coalesce(g."group", 'other') AS channel_group) AS cg
WHERE date >= :'since' AND date < :'until'
  AND cost_cents IS NOT NULL
GROUP BY GROUPING SETS ((channel_group), ())
ORDER BY grouping(channel_group), channel_group COLLATE "C";
