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
        var columns: [String] = []
        for grouping in groupings { columns += grouping.filter { !columns.contains($0) } }
        let projections = groupings.map { $0.compactMap { columns.firstIndex(of: $0) } }
        let hourly = Plan(table: .hourly, conditions: conditions, columns: columns)
        var merged = groupings.map { _ in [GroupKey: RoiSums]() }
        guard endDay - firstDay >= 2, dailies.allSatisfy({ $0 != nil }) else {
            // Short windows: the hours alone, or the inner whole days and the partial ones around them.
            let days = firstDay < endDay && dailies.allSatisfy { $0 != nil } ? firstDay..<endDay : nil
            let edges = days.map { [hours.lowerBound..<($0.lowerBound * 24), ($0.upperBound * 24)..<hours.upperBound] } ?? [hours]
            // Each part is kept or dropped on its own, as `cells` does, then merged.
            for edge in edges {
                var parts = groupings.map { _ in [GroupKey: RoiSums]() }
                try add(hourly, edge, projecting: projections, to: &parts)
                for (g, part) in parts.enumerated() {
                    for cell in Self.kept(part, keepingAttributed: false) { merged[g][GroupKey(cell.keys), default: RoiSums()] += cell.sums }
                }
            }
            if let days { try addDays(days, dailies, sums, to: &merged) }
            return merged.map { Self.kept($0, keepingAttributed: false) }
        }
        // Each end moves to the nearest UTC midnight: the hours between it and the window's end
        // are added (inside) or taken off (outside), at most 12 a side instead of up to 23.
        let (first, last) = (Self.floorDiv(hours.lowerBound + 12, 24), Self.floorDiv(hours.upperBound + 12, 24))
        try add(hourly, min(first * 24, hours.lowerBound)..<max(first * 24, hours.lowerBound), negated: first * 24 < hours.lowerBound,
                projecting: projections, to: &merged)
        try add(hourly, min(last * 24, hours.upperBound)..<max(last * 24, hours.upperBound), negated: last * 24 > hours.upperBound,
                projecting: projections, to: &merged)
        try addDays(first..<last, dailies, sums, to: &merged)
        return merged.map { Self.kept($0, keepingAttributed: false) }
    }

    /// Adds each grouping's whole-day sums of `days` (`dayGroups`) to `merged`.
    private func addDays(_ days: Range<Int64>, _ dailies: [Plan?], _ sums: [[RoiSumColumn]]?, to merged: inout [[GroupKey: RoiSums]]) throws {
        for (g, daily) in dailies.enumerated() {
            guard var daily else { continue }
            if let sums, g < sums.count { daily.sums = sums[g] }
            for (keys, value) in try dayGroups(daily, days) { merged[g][keys, default: RoiSums()] += value }
        }
    }
}
