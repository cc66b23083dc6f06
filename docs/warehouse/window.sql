-- The window of a `roi` query, as dialogd counts it (docs/roi.md, Windows): whole UTC hours.
-- psql variables: `since` and `until` (any timestamptz; -infinity/infinity for `--window all`)
-- widen outwards to whole hours, as `--since`/`--until` do; without them the last 30 days
-- ending with the current hour, as `roi` without a window. Sets `since` and `until`.
\if :{?until}
\else
  SELECT date_trunc('hour', now(), 'UTC') + interval '1 hour' AS until \gset
\endif
\if :{?since}
\else
  SELECT :'until'::timestamptz - interval '30 days' AS since \gset
\endif
SELECT date_trunc('hour', :'since'::timestamptz, 'UTC') AS since,
       CASE WHEN date_trunc('hour', :'until'::timestamptz, 'UTC') = :'until'::timestamptz THEN :'until'::timestamptz
            ELSE date_trunc('hour', :'until'::timestamptz, 'UTC') + interval '1 hour' END AS until \gset
