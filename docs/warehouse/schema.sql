-- dialogd conversations in PostgreSQL (docs/warehouse.md). Run once per database:
--   psql -v ON_ERROR_STOP=1 -f docs/warehouse/schema.sql
-- One row per conversation as `dialogctl export` writes it, from CSV or JSON lines alike.
-- Money is integer cents (bigint) of [records] currency, as in dialogd; never float.

CREATE SCHEMA IF NOT EXISTS dialogd;

CREATE TABLE IF NOT EXISTS dialogd.conversations (
    -- SITE: the `[site] id` a record belongs to (issue 19, many sites); NULL from a dialogd
    -- whose export does not carry it. A record's identity is (site, key): see UNIQUE below.
    site                text,
    row_id              bigint      NOT NULL,  -- the exporting store's row id (`dialogctl show ID`)
    key                 text        NOT NULL,  -- `id:…` (the writer's id) or `sha256:…` (content), as its site writes it
    external_id         text,                  -- the writer's id, when given
    date                timestamptz NOT NULL,  -- when the conversation happened
    utc_offset_s        integer     NOT NULL,  -- the UTC offset it was written in, seconds
    -- As `[privacy] employee_figures` of the exporting daemon allows: `hidden` (off),
    -- `emp-` + 10 hex digits (pseudonymous), the name (named). Never more than dialogd shows.
    employee            text        NOT NULL,
    customer            text,
    -- Labels as counted by dialogd's figures (`unassigned`, `unclassified`, `unknown` for none)
    -- and as the writer wrote them (an alias like `Vertrieb`, a value in no vocabulary, or
    -- the label itself; NULL when not written).
    department_counted  text        NOT NULL,
    outcome_counted     text        NOT NULL,
    channel_counted     text        NOT NULL,
    department_written  text,
    outcome_written     text,
    channel_written     text,
    labels              jsonb,                 -- sources and confidences: {"department":{"label":…,"source":…,"confidence":…},…}
    sentiment           text,
    satisfaction        smallint,              -- 1…5
    response_time_s     bigint,
    duration_s          bigint,                -- as written; NULL: the channel's default applied
    value_cents         bigint,                -- as written, in value_currency; NULL: the outcome's default applied
    value_currency      text,
    -- The figures `roi` sums; NULL only while the exporting store is unpriced (before `recompute`).
    duration_s_counted  bigint,
    cost_cents          bigint,
    value_cents_counted bigint,                -- expected value: value × the outcome's probability
    net_cents           bigint,
    subject             text,
    text                text,
    tags                text[]      NOT NULL DEFAULT '{}',
    extras              jsonb       NOT NULL DEFAULT '{}',  -- fields dialogd does not know, name → value
    source_file         text,                  -- empty unless the exporting daemon shows names
    source_line         bigint,
    ingested_at         timestamptz,
    -- Equal ids of two sites are two records; NULL sites compare equal (one daemon, no sites).
    UNIQUE NULLS NOT DISTINCT (site, key),
    CHECK (net_cents = value_cents_counted - cost_cents)
);

CREATE INDEX IF NOT EXISTS conversations_date ON dialogd.conversations (date);
CREATE INDEX IF NOT EXISTS conversations_department_date ON dialogd.conversations (department_counted, date);

-- `[channel.NAME] group` of dialogd.conf (`roi --by channel_group`): dialogd applies groups at
-- query time, so they live here, not on the rows. Seeded with the shipped configuration; a
-- channel without a row is in `other`, as in dialogd. Keep it in step with your dialogd.conf.
CREATE TABLE IF NOT EXISTS dialogd.channel_groups (
    channel text PRIMARY KEY,
    "group" text NOT NULL
);
INSERT INTO dialogd.channel_groups (channel, "group") VALUES
    ('twitter', 'social'), ('facebook', 'social'), ('instagram', 'social'), ('linkedin', 'social'),
    ('xing', 'social'), ('whatsapp', 'social'), ('forum', 'social'),
    ('chat', 'direct'), ('email', 'direct'), ('phone', 'direct')
ON CONFLICT (channel) DO NOTHING;

-- A CSV text cell as written: `dialogctl export` puts a `'` before text a spreadsheet would run as
-- a formula (first scalar after any spaces `=` `+` `-` `@`, their full-width forms, tab, CR, LF);
-- this takes it off again. Only a text that itself began with `'` and then such a character
-- cannot be told apart (it loses its `'`); the JSON lines export has every text exactly.
CREATE OR REPLACE FUNCTION dialogd.csv_text(cell text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN cell ~ E'^''[ ]*[=+\\-@\\t\\r\\n\uFF1D\uFF0B\uFF0D\uFF20]' THEN substr(cell, 2) ELSE cell END;
