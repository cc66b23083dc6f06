extension Schema {
    /// The version of `sites`; renumber it, not the SQL, when merging another branch's migration.
    static let sitesVersion: Int32 = 6

    /// The `meta` key naming the store's home site: its records keep their plain keys (`id:7`),
    /// other sites' records are keyed `site:NAME/id:7` (`SiteKey`). Set before v6 runs, which
    /// stamps it on every stored row.
    static let homeSiteMetaKey = "home_site"

    /// v6 (issue 19, many sites). Every record carries its `site`; `revision` is the store's
    /// change counter (`meta` `revision`) at the record's last change — stored, relabelled,
    /// amended, recomputed — the cursor of `export --after`; `site_revision` is the revision a
    /// shipped copy had at its own site (NULL for this store's own records), which decides
    /// whether a later copy is newer. The aggregate tables get a `site` key (copied, so the
    /// figures stay exactly what they were). Frozen as literal SQL.
    static let sites = """
        ALTER TABLE conversations ADD COLUMN site TEXT NOT NULL DEFAULT '';
        ALTER TABLE conversations ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE conversations ADD COLUMN site_revision INTEGER;
        UPDATE conversations SET site = coalesce((SELECT value FROM meta WHERE key = 'home_site'), 'local'), revision = 1;
        INSERT INTO meta (key, value) SELECT 'revision', '1' WHERE EXISTS (SELECT 1 FROM conversations)
            ON CONFLICT(key) DO NOTHING;
        CREATE INDEX conversations_revision ON conversations(revision);

        CREATE TABLE roi_hourly_v6 (
            hour INTEGER NOT NULL, site TEXT NOT NULL, department TEXT NOT NULL, outcome TEXT NOT NULL,
            channel TEXT NOT NULL, employee TEXT NOT NULL,
            conversations INTEGER NOT NULL, seconds INTEGER NOT NULL, cost_cents INTEGER NOT NULL, value_cents INTEGER NOT NULL,
            satisfaction_sum INTEGER NOT NULL, satisfaction_count INTEGER NOT NULL, satisfaction_high INTEGER NOT NULL,
            response_s_sum INTEGER NOT NULL, response_count INTEGER NOT NULL, positive INTEGER NOT NULL, neutral INTEGER NOT NULL,
            negative INTEGER NOT NULL,
            PRIMARY KEY (hour, site, department, outcome, channel, employee)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO roi_hourly_v6 SELECT hour, coalesce((SELECT value FROM meta WHERE key = 'home_site'), 'local'),
            department, outcome, channel, employee, conversations, seconds, cost_cents, value_cents, satisfaction_sum,
            satisfaction_count, satisfaction_high, response_s_sum, response_count, positive, neutral, negative FROM roi_hourly;
        DROP TABLE roi_hourly;
        ALTER TABLE roi_hourly_v6 RENAME TO roi_hourly;

        CREATE TABLE roi_hourly_department_v6 (
            hour INTEGER NOT NULL, site TEXT NOT NULL, department TEXT NOT NULL,
            conversations INTEGER NOT NULL, seconds INTEGER NOT NULL, cost_cents INTEGER NOT NULL, value_cents INTEGER NOT NULL,
            satisfaction_sum INTEGER NOT NULL, satisfaction_count INTEGER NOT NULL, satisfaction_high INTEGER NOT NULL,
            response_s_sum INTEGER NOT NULL, response_count INTEGER NOT NULL, positive INTEGER NOT NULL, neutral INTEGER NOT NULL,
            negative INTEGER NOT NULL,
            PRIMARY KEY (hour, site, department)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO roi_hourly_department_v6 SELECT hour, coalesce((SELECT value FROM meta WHERE key = 'home_site'), 'local'),
            department, conversations, seconds, cost_cents, value_cents, satisfaction_sum,
            satisfaction_count, satisfaction_high, response_s_sum, response_count, positive, neutral, negative FROM roi_hourly_department;
        DROP TABLE roi_hourly_department;
        ALTER TABLE roi_hourly_department_v6 RENAME TO roi_hourly_department;

        CREATE TABLE roi_daily_dim_v6 (
            day INTEGER NOT NULL, dim TEXT NOT NULL, site TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
            conversations INTEGER NOT NULL, seconds INTEGER NOT NULL, cost_cents INTEGER NOT NULL, value_cents INTEGER NOT NULL,
            satisfaction_sum INTEGER NOT NULL, satisfaction_count INTEGER NOT NULL, satisfaction_high INTEGER NOT NULL,
            response_s_sum INTEGER NOT NULL, response_count INTEGER NOT NULL, positive INTEGER NOT NULL, neutral INTEGER NOT NULL,
            negative INTEGER NOT NULL,
            PRIMARY KEY (dim, day, site, a, b)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO roi_daily_dim_v6 SELECT day, dim, coalesce((SELECT value FROM meta WHERE key = 'home_site'), 'local'),
            a, b, conversations, seconds, cost_cents, value_cents, satisfaction_sum,
            satisfaction_count, satisfaction_high, response_s_sum, response_count, positive, neutral, negative FROM roi_daily_dim;
        DROP TABLE roi_daily_dim;
        ALTER TABLE roi_daily_dim_v6 RENAME TO roi_daily_dim;

        CREATE TABLE roi_daily_activity_v6 (
            day INTEGER NOT NULL, site TEXT NOT NULL, employee TEXT NOT NULL, channel TEXT NOT NULL,
            conversations INTEGER NOT NULL, seconds INTEGER NOT NULL, cost_cents INTEGER NOT NULL, value_cents INTEGER NOT NULL,
            satisfaction_sum INTEGER NOT NULL, satisfaction_count INTEGER NOT NULL, satisfaction_high INTEGER NOT NULL,
            response_s_sum INTEGER NOT NULL, response_count INTEGER NOT NULL, positive INTEGER NOT NULL, neutral INTEGER NOT NULL,
            negative INTEGER NOT NULL,
            PRIMARY KEY (day, site, employee, channel)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO roi_daily_activity_v6 SELECT day, coalesce((SELECT value FROM meta WHERE key = 'home_site'), 'local'),
            employee, channel, conversations, seconds, cost_cents, value_cents, satisfaction_sum,
            satisfaction_count, satisfaction_high, response_s_sum, response_count, positive, neutral, negative FROM roi_daily_activity;
        DROP TABLE roi_daily_activity;
        ALTER TABLE roi_daily_activity_v6 RENAME TO roi_daily_activity;
        """
}
