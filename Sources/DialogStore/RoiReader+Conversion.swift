import DialogCore

/// Customer conversion for `kpi` (docs/roi.md "Customer conversion"): of the customers with a
/// conversation in the window, those who ordered within the lookback after one of them. Read
/// from the conversations and orders of the window (the aggregates know no customers), so it
/// costs O(conversations in the window that name a customer); none is read without orders.
extension RoiReader {
    /// The whole filtered set and each department's (`unassigned` for none); departments
    /// without a conversation that names a customer are left out.
    func customerConversion(_ hours: Range<Int64>, _ filters: Filters) throws
        -> (total: CustomerConversion, byDepartment: [String: CustomerConversion]) {
        let lookback = attribution.lookbackSeconds
        guard try hasOrders() else { return (CustomerConversion(customers: nil, ordered: nil, lookbackSeconds: lookback), [:]) }
        var clauses = ["c.customer IS NOT NULL", "c.date >= ?", "c.date < ?"]
        // Parameters in the order they appear: the lookback in the SELECT first.
        var arguments: [(any SQLValue)?] = [lookback, RoiQuery.hourStart(hours.lowerBound), RoiQuery.hourStart(hours.upperBound)]
        for (column, value) in filters.conditions {
            let physical = column == "department" ? "coalesce(c.department_final, '')" : column == "outcome" ? "coalesce(c.outcome_final, '')" : "c.\(column)"
            clauses.append("\(physical) = ?")
            arguments.append(value)
        }
        // One row per customer, department and channel: did an order of a positive amount follow
        // one of these conversations within the lookback (the conversation a touch of it)?
        let sql = """
            SELECT c.customer, coalesce(c.department_final, ''), c.channel,
                max(EXISTS (SELECT 1 FROM orders o WHERE o.customer = c.customer AND o.date >= c.date
                            AND o.date <= c.date + ? AND o.amount_cents > 0))
            FROM conversations c WHERE \(clauses.joined(separator: " AND "))
            GROUP BY 1, 2, 3
            """
        var all: [String: Bool] = [:]
        var byDepartment: [String: [String: Bool]] = [:]
        let statement = try database.cachedStatement(sql)
        try statement.bind(arguments: arguments)
        defer { statement.reset() }
        while try statement.step() {
            let row = statement.row
            let customer: String = row[0], department: String = row[1], channel: String = row[2], ordered: Int64 = row[3]
            if let group = filters.channelGroup, self.group(ofChannel: channel) != group { continue }
            all[customer, default: false] = all[customer, default: false] || ordered != 0
            let key = department.isEmpty ? "unassigned" : department
            byDepartment[key, default: [:]][customer, default: false] = byDepartment[key]?[customer] == true || ordered != 0
        }
        func conversion(_ customers: [String: Bool]) -> CustomerConversion {
            CustomerConversion(customers: Int64(customers.count), ordered: Int64(customers.values.filter { $0 }.count), lookbackSeconds: lookback)
        }
        return (conversion(all), byDepartment.mapValues(conversion))
    }
}
