-- Loads one `dialogctl export --format jsonl` file (with its `dialogd` objects: not
-- --records-only) into dialogd.conversations, replacing the rows of the sites it holds, in one transaction:
--   dialogctl export --window all --format jsonl | psql -v ON_ERROR_STOP=1 -f docs/warehouse/load-jsonl.sql
-- Each line is read whole: CSV mode with quote and delimiter bytes that JSON text never holds
-- raw (control characters are escaped in JSON), so backslashes stay as written.
\set ON_ERROR_STOP on
BEGIN;

CREATE TEMP TABLE jsonl_lines (line text NOT NULL) ON COMMIT DROP;

\copy jsonl_lines (line) FROM pstdin WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')

-- PostgreSQL text cannot hold U+0000, which a stored text may (a writer's `\u0000`): it becomes
-- U+FFFD, the replacement character. Only an escape after an even number of backslashes is one.
CREATE TEMP TABLE jsonl_export ON COMMIT DROP AS
SELECT regexp_replace(line, '(?<=(?:^|[^\\])(?:\\\\)*)\\u0000', '\\ufffd', 'g')::jsonb AS line FROM jsonl_lines;

-- The export's orders (`type: order` lines after the conversations) are not conversations.
DELETE FROM jsonl_export WHERE line ->> 'type' = 'order';

-- A line without its own `dialogd` object (a --records-only export, or a record that carried
-- another daemon's object as an extra field) has no figures of this store: refuse the file.
DO $$
DECLARE bad bigint;
BEGIN
    SELECT count(*) INTO bad FROM jsonl_export WHERE jsonb_typeof(line -> 'dialogd') IS DISTINCT FROM 'object';
    IF bad > 0 THEN
        RAISE EXCEPTION '% line(s) without a "dialogd" object: export without --records-only (see docs/warehouse.md)', bad;
    END IF;
END $$;

-- The rows of every site the file holds are replaced: a site's own export replaces that site's
-- rows, a central's all of them (without sites: every row). An empty file changes nothing.
DELETE FROM dialogd.conversations c
WHERE EXISTS (SELECT 1 FROM jsonl_export WHERE line -> 'dialogd' ->> 'site' IS NOT DISTINCT FROM c.site);

INSERT INTO dialogd.conversations (
    site, row_id, key, external_id, date, utc_offset_s, employee, customer,
    department_counted, outcome_counted, channel_counted, department_written, outcome_written, channel_written,
    labels, sentiment, satisfaction, response_time_s, duration_s, value_cents, value_currency,
    duration_s_counted, cost_cents, value_cents_counted, net_cents,
    subject, text, tags, extras, source_file, source_line, ingested_at)
SELECT
    d ->> 'site',  -- NULL from a dialogd without sites
    (d ->> 'row_id')::bigint, d ->> 'key', line ->> 'id',
    (line ->> 'date')::timestamptz,
    -- RFC 3339 with its offset: as `timestamp` the offset is ignored, so the difference is the offset.
    extract(epoch FROM (line ->> 'date')::timestamp - ((line ->> 'date')::timestamptz AT TIME ZONE 'UTC'))::integer,
    line ->> 'employee', line ->> 'customer',
    d ->> 'department_counted', d ->> 'outcome_counted', d ->> 'channel_counted',
    line ->> 'department', line ->> 'outcome', line ->> 'channel',
    d -> 'labels', line ->> 'sentiment', (line ->> 'satisfaction')::smallint,
    rtrim(line ->> 'response_time', 's')::bigint, rtrim(line ->> 'duration', 's')::bigint,
    -- `value` is `1200.00 EUR`: decimal units and the currency it was written in.
    (split_part(line ->> 'value', ' ', 1)::numeric * 100)::bigint, nullif(split_part(line ->> 'value', ' ', 2), ''),
    (d ->> 'duration_s_counted')::bigint, (d ->> 'cost_cents')::bigint, (d ->> 'value_cents_counted')::bigint,
    (d ->> 'net_cents')::bigint,
    line ->> 'subject', line ->> 'text',
    coalesce(ARRAY(SELECT jsonb_array_elements_text(line -> 'tags')), '{}'),
    -- Every member that is not a record field is an extra field, as the daemon keeps it.
    line - ARRAY['id', 'date', 'employee', 'channel', 'customer', 'department', 'outcome', 'duration', 'value',
                 'satisfaction', 'sentiment', 'response_time', 'subject', 'text', 'tags', 'dialogd'],
    nullif(d ->> 'source_file', ''), (d ->> 'source_line')::bigint, to_timestamp((d ->> 'ingested_at')::bigint)
FROM jsonl_export, LATERAL (SELECT line -> 'dialogd') AS dialogd(d);

COMMIT;
