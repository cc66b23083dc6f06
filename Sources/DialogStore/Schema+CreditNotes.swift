extension Schema {
    /// The version of `creditNoteIndexes`; renumber it, not the SQL, when merging another branch's migration.
    static let creditNoteIndexesVersion: Int32 = 11

    /// v11 (issue 14, credit notes). A credit note's link to its order is `credits` in `extras`
    /// (no column): every attribution of an order read its customer's credit notes, and every
    /// stored order looked for credit notes naming it, by `json_extract` over rows. Two partial
    /// indexes hold only the credit notes: by the order number they name (with the customer),
    /// and by customer and date. Frozen as literal SQL.
    static let creditNoteIndexes = """
        CREATE INDEX orders_credits ON orders(json_extract(extras, '$.credits'), customer)
            WHERE json_extract(extras, '$.credits') IS NOT NULL;
        CREATE INDEX orders_credit_notes_customer ON orders(customer, date)
            WHERE json_extract(extras, '$.credits') IS NOT NULL;
        """
}
