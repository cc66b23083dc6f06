extension Schema {
    /// The version of `forgottenCustomers`; renumber it, not the SQL, when merging another branch's migration.
    static let forgottenCustomersVersion: Int32 = 12

    /// v12 (issue 14, erasure after a re-drop). One row per customer `forget` erased: a keyed
    /// hash of the pseudonym (`ForgottenCustomers.marker`), never the identity or the pseudonym,
    /// and when. Ingest stores a record of such a customer as `forget` leaves records.
    /// Frozen as literal SQL.
    static let forgottenCustomers = """
        CREATE TABLE forgotten_customers (
            marker TEXT PRIMARY KEY,
            forgotten_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
}
