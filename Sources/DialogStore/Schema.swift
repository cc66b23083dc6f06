/// The store's schema, as migrations. Append new versions; never edit a released one: every
/// released migration is literal SQL (not built from today's column lists, which move on), and
/// `SchemaFreezeTests` checks that they still build exactly the schema the live code expects.
/// Where to add a migration or a sum: docs/design.md.
public enum Schema {
    public static let migrator = Migrator([
        Migration(version: 1, name: "conversations, ingested_files, meta") { db in
            try db.execute(version1)
        },
        Migration(version: 2, name: "priced columns, roi_hourly aggregates") { db in
            try db.execute(version2)
        },
        Migration(version: 3, name: "label sources and confidences, classifier models") { db in
            try db.execute(version3)
        },
        Migration(version: slimAggregatesVersion, name: "slimmer ROI aggregates: department-only hourly dimension rows") { db in
            try db.execute(slimAggregates)
        },
        Migration(version: rawLabelsVersion, name: "raw department, outcome and channel as written (label vocabulary)") { db in
            try db.execute(rawLabels)
        },
        Migration(version: sitesVersion, name: "sites and revisions: every record carries its site and a revision, aggregates a site key") { db in
            try db.execute(sites)
        },
        Migration(version: ordersVersion, name: "orders and their attributed shares (issue 14)") { db in
            try db.execute(orders)
        },
        Migration(version: attributedAggregatesVersion, name: "attributed revenue and order totals in the aggregates (issues 14, 17)") { db in
            try db.execute(attributedAggregates)
        },
        Migration(version: weeklyAggregatesVersion, name: "weekly twins of the daily aggregates (issue 17)") { db in
            try db.execute(weeklyAggregates)
        },
        Migration(version: keyProbeVersion, name: "a compact, non-unique key index instead of UNIQUE(key) on conversations (issue 17)") { db in
            try db.execute(keyProbe)
        },
        Migration(version: creditNoteIndexesVersion, name: "indexes of the credit notes by the order they name and by customer (issue 14)") { db in
            try db.execute(creditNoteIndexes)
        },
        Migration(version: forgottenCustomersVersion, name: "the customers forget erased, as keyed hashes of their pseudonyms (issue 14)") { db in
            try db.execute(forgottenCustomers)
        },
    ])

    /// The version of `orders`; renumber it, not the SQL, when merging another branch's migration.
    static let ordersVersion: Int32 = 7

    /// v7 (issue 14, orders and attribution). Orders from ERP/CRM exports in their own table,
    /// keyed like conversations (exactly once), the customer already pseudonymized. Indexes
    /// by customer and date on both tables, for finding an order's touches and a
    /// conversation's orders. `order_shares`: each touch of an order with a share other than 0 and the cents it is
    /// credited (`Attribution`), with the order's date so a window reads shares alone.
    /// Frozen as literal SQL.
    static let orders = """
        CREATE TABLE orders (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            external_id TEXT,
            date INTEGER NOT NULL,
            utc_offset INTEGER NOT NULL,
            customer TEXT NOT NULL,
            amount_cents INTEGER NOT NULL,
            currency TEXT NOT NULL,
            department TEXT,
            product TEXT,
            extras TEXT,
            source_file TEXT NOT NULL,
            source_line INTEGER NOT NULL,
            ingested_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX orders_date ON orders(date);
        CREATE INDEX orders_customer_date ON orders(customer, date);
        CREATE INDEX conversations_customer_date ON conversations(customer, date) WHERE customer IS NOT NULL;
        CREATE TABLE order_shares (
            order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
            conversation_id INTEGER NOT NULL,
            order_date INTEGER NOT NULL,
            share_cents INTEGER NOT NULL,
            PRIMARY KEY (order_id, conversation_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX order_shares_conversation ON order_shares(conversation_id);
        CREATE INDEX order_shares_date ON order_shares(order_date);
        """

    /// The version of `rawLabels`; renumber it, not the SQL, when merging another branch's migration.
    static let rawLabelsVersion: Int32 = 5

    /// v5 (issue 18, label vocabulary). The department, outcome and channel as the writer typed
    /// them, where that is not simply the label they count under (an alias like `Vertrieb`, or
    /// a value in no vocabulary: then `department`/`outcome` are NULL and `channel` is
    /// `unknown`). Frozen as literal SQL: rows stored before stay NULL here until `recompute`
    /// maps their drifted labels through the vocabulary (docs/roi.md).
    static let rawLabels = """
        ALTER TABLE conversations ADD COLUMN raw_department TEXT;
        ALTER TABLE conversations ADD COLUMN raw_outcome TEXT;
        ALTER TABLE conversations ADD COLUMN raw_channel TEXT;
        """

    /// The version of `slimAggregates`: one constant, so the migration can be renumbered when
    /// branches that also append a migration are merged.
    static let slimAggregatesVersion: Int32 = 4

    /// v1. STRICT tables so a value of the wrong type is an error, not a silent conversion.
    /// `key` is UNIQUE: it is the exactly-once guard of docs/spool.md. Every index costs ingest
    /// throughput, so only `date` (windowed listing) is indexed until a query needs more.
    static let version1 = """
        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            external_id TEXT,
            date INTEGER NOT NULL,
            utc_offset INTEGER NOT NULL,
            employee TEXT NOT NULL,
            channel TEXT NOT NULL,
            customer TEXT,
            department TEXT,
            outcome TEXT,
            duration_s INTEGER,
            value_cents INTEGER,
            currency TEXT,
            satisfaction INTEGER,
            sentiment TEXT,
            response_time_s INTEGER,
            subject TEXT,
            text TEXT,
            tags TEXT,
            extras TEXT,
            source_file TEXT NOT NULL,
            source_line INTEGER NOT NULL,
            ingested_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX conversations_date ON conversations(date);

        CREATE TABLE ingested_files (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            stored INTEGER NOT NULL,
            duplicates INTEGER NOT NULL,
            rejected INTEGER NOT NULL,
            disposition TEXT NOT NULL CHECK (disposition IN ('archived', 'quarantined')),
            reason TEXT,
            at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX ingested_files_at ON ingested_files(at);

        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT
        ) STRICT;
        """

    /// v2 (ROI engine). Priced columns on each conversation (NULL until priced: rows of a v1
    /// database stay unpriced until `recompute`), and the aggregate tables kept inside the
    /// ingest transaction (see `AggregateTable`; frozen here as they were created): `roi_hourly` holds every dimension per UTC
    /// hour (hour = floor(date / 3600)); the daily tables (day = floor(hour / 24)) are rollups
    /// of it for long windows. Empty strings stand for "unassigned"/"unclassified" so they can
    /// be part of a primary key.
    static let version2 = """
        ALTER TABLE conversations ADD COLUMN department_final TEXT;
        ALTER TABLE conversations ADD COLUMN outcome_final TEXT;
        ALTER TABLE conversations ADD COLUMN duration_s_effective INTEGER;
        ALTER TABLE conversations ADD COLUMN cost_cents INTEGER;
        ALTER TABLE conversations ADD COLUMN value_cents_effective INTEGER;
        CREATE TABLE roi_hourly (
            hour INTEGER NOT NULL,
            department TEXT NOT NULL,
            outcome TEXT NOT NULL,
            channel TEXT NOT NULL,
            employee TEXT NOT NULL,
            conversations INTEGER NOT NULL,
            seconds INTEGER NOT NULL,
            cost_cents INTEGER NOT NULL,
            value_cents INTEGER NOT NULL,
            satisfaction_sum INTEGER NOT NULL,
            satisfaction_count INTEGER NOT NULL,
            satisfaction_high INTEGER NOT NULL,
            response_s_sum INTEGER NOT NULL,
            response_count INTEGER NOT NULL,
            positive INTEGER NOT NULL,
            neutral INTEGER NOT NULL,
            negative INTEGER NOT NULL,
            PRIMARY KEY (hour, department, outcome, channel, employee)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE roi_hourly_dim (
            hour INTEGER NOT NULL,
            dim TEXT NOT NULL,
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            conversations INTEGER NOT NULL,
            seconds INTEGER NOT NULL,
            cost_cents INTEGER NOT NULL,
            value_cents INTEGER NOT NULL,
            satisfaction_sum INTEGER NOT NULL,
            satisfaction_count INTEGER NOT NULL,
            satisfaction_high INTEGER NOT NULL,
            response_s_sum INTEGER NOT NULL,
            response_count INTEGER NOT NULL,
            positive INTEGER NOT NULL,
            neutral INTEGER NOT NULL,
            negative INTEGER NOT NULL,
            PRIMARY KEY (dim, hour, a, b)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE roi_daily_dim (
            day INTEGER NOT NULL,
            dim TEXT NOT NULL,
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            conversations INTEGER NOT NULL,
            seconds INTEGER NOT NULL,
            cost_cents INTEGER NOT NULL,
            value_cents INTEGER NOT NULL,
            satisfaction_sum INTEGER NOT NULL,
            satisfaction_count INTEGER NOT NULL,
            satisfaction_high INTEGER NOT NULL,
            response_s_sum INTEGER NOT NULL,
            response_count INTEGER NOT NULL,
            positive INTEGER NOT NULL,
            neutral INTEGER NOT NULL,
            negative INTEGER NOT NULL,
            PRIMARY KEY (dim, day, a, b)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE roi_daily_activity (
            day INTEGER NOT NULL,
            employee TEXT NOT NULL,
            channel TEXT NOT NULL,
            conversations INTEGER NOT NULL,
            seconds INTEGER NOT NULL,
            cost_cents INTEGER NOT NULL,
            value_cents INTEGER NOT NULL,
            satisfaction_sum INTEGER NOT NULL,
            satisfaction_count INTEGER NOT NULL,
            satisfaction_high INTEGER NOT NULL,
            response_s_sum INTEGER NOT NULL,
            response_count INTEGER NOT NULL,
            positive INTEGER NOT NULL,
            neutral INTEGER NOT NULL,
            negative INTEGER NOT NULL,
            PRIMARY KEY (day, employee, channel)
        ) STRICT, WITHOUT ROWID;
        """


    /// Fewer aggregate rows per conversation (10 → 6), for ingest throughput when records open
    /// new hours: hourly dimension rows only for department (`roi_hourly_department`), no daily
    /// outcome or channel rows of their own (the department pairs sum to them). The kept rows
    /// are copied as they are, so the figures stay exactly what they were.
    static let slimAggregates = """
        CREATE TABLE roi_hourly_department (
            hour INTEGER NOT NULL,
            department TEXT NOT NULL,
            conversations INTEGER NOT NULL,
            seconds INTEGER NOT NULL,
            cost_cents INTEGER NOT NULL,
            value_cents INTEGER NOT NULL,
            satisfaction_sum INTEGER NOT NULL,
            satisfaction_count INTEGER NOT NULL,
            satisfaction_high INTEGER NOT NULL,
            response_s_sum INTEGER NOT NULL,
            response_count INTEGER NOT NULL,
            positive INTEGER NOT NULL,
            neutral INTEGER NOT NULL,
            negative INTEGER NOT NULL,
            PRIMARY KEY (hour, department)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO roi_hourly_department SELECT hour, a, conversations, seconds, cost_cents, value_cents, satisfaction_sum, satisfaction_count, satisfaction_high, response_s_sum, response_count, positive, neutral, negative
            FROM roi_hourly_dim WHERE dim = 'department';
        DROP TABLE roi_hourly_dim;
        DELETE FROM roi_daily_dim WHERE dim IN ('outcome', 'channel');
        """
}

extension Schema {
    /// v3 (classification, issue 5). Each dimension's final label keeps its source (`logged`,
    /// `rule`, `model`, `review`) and confidence in per-mille (0–1000, an integer so STRICT
    /// tables and exact comparisons stay simple). `department_final`/`outcome_final` (v2) hold
    /// the final labels the aggregates use; `sentiment_final` joins them. NULL source = a row
    /// from before v3. `classifier_models` holds one snapshot per dimension (`ModelCodec`) and
    /// the highest conversation id whose logged labels it has learned; later rows are replayed
    /// at start.
    static let version3 = """
        ALTER TABLE conversations ADD COLUMN department_source TEXT;
        ALTER TABLE conversations ADD COLUMN department_confidence INTEGER;
        ALTER TABLE conversations ADD COLUMN outcome_source TEXT;
        ALTER TABLE conversations ADD COLUMN outcome_confidence INTEGER;
        ALTER TABLE conversations ADD COLUMN sentiment_final TEXT;
        ALTER TABLE conversations ADD COLUMN sentiment_source TEXT;
        ALTER TABLE conversations ADD COLUMN sentiment_confidence INTEGER;
        UPDATE conversations SET sentiment_final = sentiment;
        CREATE TABLE classifier_models (
            dimension TEXT PRIMARY KEY,
            trained_through INTEGER NOT NULL,
            model BLOB NOT NULL
        ) STRICT;
        """
}
