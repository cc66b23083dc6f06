extension Schema {
    /// The version of `weeklyAggregates`; renumber it, not the SQL, when merging another branch's migration.
    static let weeklyAggregatesVersion: Int32 = 9

    /// v9 (issue 17, read side). Weekly twins of the two daily tables, keyed by the UTC week
    /// (floor(day / 7), weeks since Thursday 1970-01-01): a 30-day pyramid reads about 4 weeks
    /// plus at most 3 days at each end instead of 30 days of employee × channel rows, and a
    /// year by department 52 weeks instead of 365 days. Filled from the daily rows, which they
    /// sum exactly (attributed revenue included). Frozen as literal SQL.
    static let weeklyAggregates = """
        CREATE TABLE roi_weekly_dim (
            week INTEGER NOT NULL, dim TEXT NOT NULL, site TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
            conversations INTEGER NOT NULL, seconds INTEGER NOT NULL, cost_cents INTEGER NOT NULL, value_cents INTEGER NOT NULL,
            satisfaction_sum INTEGER NOT NULL, satisfaction_count INTEGER NOT NULL, satisfaction_high INTEGER NOT NULL,
            response_s_sum INTEGER NOT NULL, response_count INTEGER NOT NULL, positive INTEGER NOT NULL, neutral INTEGER NOT NULL,
            negative INTEGER NOT NULL, attributed_cents INTEGER NOT NULL,
            PRIMARY KEY (dim, week, site, a, b)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO roi_weekly_dim SELECT day / 7 - (day % 7 < 0), dim, site, a, b, sum(conversations), sum(seconds),
            sum(cost_cents), sum(value_cents), sum(satisfaction_sum), sum(satisfaction_count), sum(satisfaction_high),
            sum(response_s_sum), sum(response_count), sum(positive), sum(neutral), sum(negative), sum(attributed_cents)
        FROM roi_daily_dim GROUP BY 1, 2, 3, 4, 5;

        CREATE TABLE roi_weekly_activity (
            week INTEGER NOT NULL, site TEXT NOT NULL, employee TEXT NOT NULL, channel TEXT NOT NULL,
            conversations INTEGER NOT NULL, seconds INTEGER NOT NULL, cost_cents INTEGER NOT NULL, value_cents INTEGER NOT NULL,
            satisfaction_sum INTEGER NOT NULL, satisfaction_count INTEGER NOT NULL, satisfaction_high INTEGER NOT NULL,
            response_s_sum INTEGER NOT NULL, response_count INTEGER NOT NULL, positive INTEGER NOT NULL, neutral INTEGER NOT NULL,
            negative INTEGER NOT NULL, attributed_cents INTEGER NOT NULL,
            PRIMARY KEY (week, site, employee, channel)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO roi_weekly_activity SELECT day / 7 - (day % 7 < 0), site, employee, channel, sum(conversations), sum(seconds),
            sum(cost_cents), sum(value_cents), sum(satisfaction_sum), sum(satisfaction_count), sum(satisfaction_high),
            sum(response_s_sum), sum(response_count), sum(positive), sum(neutral), sum(negative), sum(attributed_cents)
        FROM roi_daily_activity GROUP BY 1, 2, 3, 4;
        """
}
