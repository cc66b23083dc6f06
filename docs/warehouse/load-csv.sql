-- Loads one `dialogctl export` CSV (default delimiter `,`, no --bom) into dialogd.conversations,
-- replacing the rows of the sites it holds, in one transaction (readers see the old rows or the new, never half):
--   dialogctl export --window all | psql -v ON_ERROR_STOP=1 -f docs/warehouse/load-csv.sql
-- HEADER MATCH (PostgreSQL 15) refuses a file whose header is not exactly these columns in this
-- order, so a release that adds a column fails the load instead of shifting values.
\set ON_ERROR_STOP on
BEGIN;

CREATE TEMP TABLE csv_export (
    id text, key text, external_id text, date text, date_local text, date_unix text, utc_offset text,
    employee text, channel text, customer text,
    department text, department_source text, department_confidence text,
    outcome text, outcome_source text, outcome_confidence text,
    sentiment text, sentiment_source text, sentiment_confidence text,
    department_counted text, outcome_counted text, duration_s text, duration_s_counted text,
    satisfaction text, response_time_s text, currency text,
    value_cents text, cost_cents text, value_cents_counted text, net_cents text, cost text, value text, net text,
    subject text, tags text, text text, extras text, source_file text, source_line text, ingested_at text,
    labels text, raw_channel text, raw_department text, raw_outcome text,
    site text, revision text, site_revision text
) ON COMMIT DROP;

\copy csv_export FROM pstdin WITH (FORMAT csv, HEADER match)

-- The rows of every site the file holds are replaced: a site's own export replaces that site's
-- rows, a central's all of them (without sites: every row). An empty file changes nothing.
DELETE FROM dialogd.conversations c
WHERE EXISTS (SELECT 1 FROM csv_export WHERE nullif(csv_export.site, '') IS NOT DISTINCT FROM c.site);

INSERT INTO dialogd.conversations (
    site, row_id, key, external_id, date, utc_offset_s, employee, customer,
    department_counted, outcome_counted, channel_counted, department_written, outcome_written, channel_written,
    labels, sentiment, satisfaction, response_time_s, duration_s, value_cents, value_currency,
    duration_s_counted, cost_cents, value_cents_counted, net_cents,
    subject, text, tags, extras, source_file, source_line, ingested_at)
SELECT
    nullif(site, ''),  -- the export's `site` column
    -- A central stores another site's record as `site:NAME/KEY`; the key is the site's own.
    id::bigint, regexp_replace(key, '^site:[^/]*/', ''), dialogd.csv_text(external_id), to_timestamp(date_unix::bigint), utc_offset::integer,
    dialogd.csv_text(employee), dialogd.csv_text(customer),
    department_counted, outcome_counted, channel,
    -- `department`/`outcome` are the written labels when spelt as labels; `raw_*` the text of an
    -- alias or of a value in no vocabulary. `channel` is the counted channel (`unknown` for none).
    dialogd.csv_text(coalesce(raw_department, department)), dialogd.csv_text(coalesce(raw_outcome, outcome)),
    dialogd.csv_text(coalesce(raw_channel, channel)),
    labels::jsonb, sentiment, satisfaction::smallint, response_time_s::bigint, duration_s::bigint,
    value_cents::bigint, CASE WHEN value_cents IS NOT NULL THEN currency END,
    duration_s_counted::bigint, cost_cents::bigint, value_cents_counted::bigint, net_cents::bigint,
    dialogd.csv_text(subject), dialogd.csv_text(text),
    -- Lists are `a, b`; name/value pairs `name=value; …` (a value holding `; ` splits: the
    -- JSON lines export has them exactly).
    coalesce(string_to_array(dialogd.csv_text(tags), ', '), '{}'),
    coalesce((SELECT jsonb_object_agg(split_part(pair, '=', 1), substr(pair, length(split_part(pair, '=', 1)) + 2))
              FROM regexp_split_to_table(dialogd.csv_text(extras), '; ') AS pair), '{}'),
    nullif(dialogd.csv_text(source_file), ''), source_line::bigint, to_timestamp(ingested_at::bigint)
FROM csv_export;

COMMIT;
