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
        let since = RoiQuery.hourStart(hours.lowerBound), until = RoiQuery.hourStart(hours.upperBound)
        // The orders that can follow a conversation of the window within the lookback: positive
        // amounts dated from the window's start to its end + lookback, by customer, oldest first.
        var orderDates: [String: [Int64]] = [:]
        let orders = try database.cachedStatement("SELECT customer, date FROM orders WHERE date >= ? AND date < ? AND amount_cents > 0 ORDER BY date")
        try orders.bind(arguments: [since, Self.later(until, by: lookback)])
        defer { orders.reset() }
        while try orders.step() {
            let row = orders.row
            orderDates[row[0] as String, default: []].append(row[1])
        }
        var clauses = ["c.customer IS NOT NULL", "c.date >= ?", "c.date < ?"]
        var arguments: [(any SQLValue)?] = [since, until]
        for (column, value) in filters.conditions {
            let physical = column == "department" ? "coalesce(c.department_final, '')" : column == "outcome" ? "coalesce(c.outcome_final, '')" : "c.\(column)"
            clauses.append("\(physical) = ?")
            arguments.append(value)
        }
        // Two range scans merged here rather than a correlated lookup per conversation and a
        // GROUP BY (that took 0.9 s for 75k conversations and 200k orders).
        var all: [String: Bool] = [:]
        var byDepartment: [String: [String: Bool]] = [:]
        let statement = try database.cachedStatement(
            "SELECT c.customer, coalesce(c.department_final, ''), c.channel, c.date FROM conversations c WHERE " + clauses.joined(separator: " AND "))
        try statement.bind(arguments: arguments)
        defer { statement.reset() }
        while try statement.step() {
            let row = statement.row
            let customer: String = row[0], department: String = row[1], channel: String = row[2], date: Int64 = row[3]
            if let group = filters.channelGroup, self.group(ofChannel: channel) != group { continue }
            // Did an order follow within the lookback (this conversation a touch of it)?
            let ordered = orderDates[customer].map { Self.anyDate(in: date...Self.later(date, by: lookback), sorted: $0) } ?? false
            all[customer] = all[customer] == true || ordered
            let key = department.isEmpty ? "unassigned" : department
            byDepartment[key, default: [:]][customer] = byDepartment[key]?[customer] == true || ordered
        }
        func conversion(_ customers: [String: Bool]) -> CustomerConversion {
            CustomerConversion(customers: Int64(customers.count), ordered: Int64(customers.values.filter { $0 }.count), lookbackSeconds: lookback)
        }
        return (conversion(all), byDepartment.mapValues(conversion))
    }

    /// `date` + `seconds` (≥ 0), held at the largest date instead of wrapping round.
    static func later(_ date: Int64, by seconds: Int64) -> Int64 {
        let (sum, overflow) = date.addingReportingOverflow(max(0, seconds))
        return overflow ? Int64.max : sum
    }

    /// Whether `sorted` (ascending) holds a date in `range`: the first date ≥ its start, by halving.
    static func anyDate(in range: ClosedRange<Int64>, sorted: [Int64]) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < range.lowerBound { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] <= range.upperBound
    }
}
