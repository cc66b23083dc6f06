import DialogCore

/// Several groupings of one window at once (the pyramid's department × outcome, department ×
/// channel and employee × channel): the partial days at the window's ends are one `roi_hourly`
/// scan for all of them instead of one each; whole days come from each grouping's own rollup.
extension RoiReader {
    /// `cells(hours:filters:by:)` for each of `groupings`, in order: the same cells. `sums[i]`,
    /// when given, are the sums grouping i needs from its whole days (others may read 0 there).
    func cells(hours: Range<Int64>, filters: Filters, byEach groupings: [[String]], sums: [[RoiSumColumn]]? = nil) throws -> [[Cell]] {
        let conditions = filters.conditions
        let dailies = groupings.map { Self.plan(columns: $0, conditions: conditions, hourly: false) }
        let edgesInOne = filters.channelGroup == nil && groupings.allSatisfy {
            Self.plan(columns: $0, conditions: conditions, hourly: true)?.table.name == AggregateTable.hourly.name
        }
        guard edgesInOne else { return try groupings.map { try cells(hours: hours, filters: filters, by: $0) } }
        let hours = try storedPart(of: hours)
        guard !hours.isEmpty else { return groupings.map { _ in [] } }
        let firstDay = Self.ceilDiv(hours.lowerBound, 24), endDay = Self.floorDiv(hours.upperBound, 24)
        let days = firstDay < endDay && dailies.allSatisfy { $0 != nil } ? firstDay..<endDay : nil
        let edges = days.map { [hours.lowerBound..<($0.lowerBound * 24), ($0.upperBound * 24)..<hours.upperBound] } ?? [hours]
        var columns: [String] = []
        for grouping in groupings { columns += grouping.filter { !columns.contains($0) } }
        let projections = groupings.map { $0.compactMap { columns.firstIndex(of: $0) } }
        let hourly = Plan(table: .hourly, conditions: conditions, columns: columns)
        // Each part is kept or dropped on its own, as `cells` does, then merged.
        var merged = groupings.map { _ in [[String]: RoiSums]() }
        for edge in edges {
            var parts = groupings.map { _ in [[String]: RoiSums]() }
            try add(hourly, edge, projecting: projections, to: &parts)
            for (g, part) in parts.enumerated() {
                for cell in Self.kept(part, keepingAttributed: false) { merged[g][cell.keys, default: RoiSums()] += cell.sums }
            }
        }
        if let days {
            for (g, daily) in dailies.enumerated() {
                guard var daily else { continue }
                if let sums, g < sums.count { daily.sums = sums[g] }
                for cell in Self.kept(try dayGroups(daily, days), keepingAttributed: false) { merged[g][cell.keys, default: RoiSums()] += cell.sums }
            }
        }
        return merged.map { $0.map { ($0.key, $0.value) } }
    }
}
