extension Schema {
    /// The version of `attributedAggregates`; renumber it, not the SQL, when merging another branch's migration.
    static let attributedAggregatesVersion: Int32 = 8

    /// v8 (issues 14 and 17). Attributed order revenue kept in the aggregates instead of joined
    /// at query time: every `roi_*` table gets `attributed_cents`, filled from the stored
    /// `order_shares` under the order's hour and each touching conversation's labels as stored;
    /// `roi_orders_hourly` and `roi_orders_daily` hold the orders dated in each hour or day, their
    /// amount, and the amount of those without a share (unattributed). The same figures a fresh
    /// ingest keeps (`SchemaFreezeTests`). Frozen as literal SQL.
    static let attributedAggregates = """
        ALTER TABLE roi_hourly ADD COLUMN attributed_cents INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE roi_hourly_department ADD COLUMN attributed_cents INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE roi_daily_dim ADD COLUMN attributed_cents INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE roi_daily_activity ADD COLUMN attributed_cents INTEGER NOT NULL DEFAULT 0;

        CREATE TABLE roi_orders_hourly (
            hour INTEGER NOT NULL PRIMARY KEY, orders INTEGER NOT NULL, orders_cents INTEGER NOT NULL,
            unattributed_cents INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE roi_orders_daily (
            day INTEGER NOT NULL PRIMARY KEY, orders INTEGER NOT NULL, orders_cents INTEGER NOT NULL,
            unattributed_cents INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;

        CREATE TEMP TABLE v8_buckets AS SELECT s.order_date / 3600 - (s.order_date % 3600 < 0) AS hour, c.site AS site,
            coalesce(c.department_final, '') AS department, coalesce(c.outcome_final, '') AS outcome,
            c.channel AS channel, c.employee AS employee, sum(s.share_cents) AS cents
        FROM order_shares s JOIN conversations c ON c.id = s.conversation_id
        GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(s.share_cents) != 0;

        INSERT INTO roi_hourly (hour, site, department, outcome, channel, employee, conversations, seconds, cost_cents,
            value_cents, satisfaction_sum, satisfaction_count, satisfaction_high, response_s_sum, response_count,
            positive, neutral, negative, attributed_cents)
        SELECT hour, site, department, outcome, channel, employee, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sum(cents)
        FROM temp.v8_buckets WHERE true GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (hour, site, department, outcome, channel, employee) DO UPDATE SET
            attributed_cents = attributed_cents + excluded.attributed_cents;

        INSERT INTO roi_hourly_department (hour, site, department, conversations, seconds, cost_cents,
            value_cents, satisfaction_sum, satisfaction_count, satisfaction_high, response_s_sum, response_count,
            positive, neutral, negative, attributed_cents)
        SELECT hour, site, department, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sum(cents)
        FROM temp.v8_buckets WHERE true GROUP BY 1, 2, 3
        ON CONFLICT (hour, site, department) DO UPDATE SET attributed_cents = attributed_cents + excluded.attributed_cents;

        INSERT INTO roi_daily_dim (day, dim, site, a, b, conversations, seconds, cost_cents,
            value_cents, satisfaction_sum, satisfaction_count, satisfaction_high, response_s_sum, response_count,
            positive, neutral, negative, attributed_cents)
        SELECT hour / 24 - (hour % 24 < 0), 'department', site, department, '', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sum(cents)
        FROM temp.v8_buckets WHERE true GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (dim, day, site, a, b) DO UPDATE SET attributed_cents = attributed_cents + excluded.attributed_cents;

        INSERT INTO roi_daily_dim (day, dim, site, a, b, conversations, seconds, cost_cents,
            value_cents, satisfaction_sum, satisfaction_count, satisfaction_high, response_s_sum, response_count,
            positive, neutral, negative, attributed_cents)
        SELECT hour / 24 - (hour % 24 < 0), 'department/outcome', site, department, outcome, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sum(cents)
        FROM temp.v8_buckets WHERE true GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (dim, day, site, a, b) DO UPDATE SET attributed_cents = attributed_cents + excluded.attributed_cents;

        INSERT INTO roi_daily_dim (day, dim, site, a, b, conversations, seconds, cost_cents,
            value_cents, satisfaction_sum, satisfaction_count, satisfaction_high, response_s_sum, response_count,
            positive, neutral, negative, attributed_cents)
        SELECT hour / 24 - (hour % 24 < 0), 'department/channel', site, department, channel, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sum(cents)
        FROM temp.v8_buckets WHERE true GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (dim, day, site, a, b) DO UPDATE SET attributed_cents = attributed_cents + excluded.attributed_cents;

        INSERT INTO roi_daily_activity (day, site, employee, channel, conversations, seconds, cost_cents,
            value_cents, satisfaction_sum, satisfaction_count, satisfaction_high, response_s_sum, response_count,
            positive, neutral, negative, attributed_cents)
        SELECT hour / 24 - (hour % 24 < 0), site, employee, channel, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sum(cents)
        FROM temp.v8_buckets WHERE true GROUP BY 1, 2, 3, 4
        ON CONFLICT (day, site, employee, channel) DO UPDATE SET attributed_cents = attributed_cents + excluded.attributed_cents;

        DROP TABLE temp.v8_buckets;

        INSERT INTO roi_orders_hourly (hour, orders, orders_cents, unattributed_cents)
        SELECT date / 3600 - (date % 3600 < 0), count(*), sum(amount_cents),
            sum(CASE WHEN EXISTS (SELECT 1 FROM order_shares s WHERE s.order_id = o.id) THEN 0 ELSE amount_cents END)
        FROM orders o GROUP BY 1;
        INSERT INTO roi_orders_daily (day, orders, orders_cents, unattributed_cents)
        SELECT hour / 24 - (hour % 24 < 0), sum(orders), sum(orders_cents), sum(unattributed_cents)
        FROM roi_orders_hourly GROUP BY 1;
        """
}
