import DialogCore

/// KPIs and the pyramid, from the same hourly aggregates as `roi`.
extension RoiReader {
    /// The cells of `hours` under the query's filters, by department and `other`
    /// (outcome or channel); empty table values become `nil`.
    func aggregateCells(_ hours: Range<Int64>, _ filters: Filters, _ other: String) throws -> [AggregateCell] {
        try aggregateCells(try cells(hours: hours, filters: filters, by: ["department", other]), other)
    }

    /// Cells grouped by department and `other` as `AggregateCell`s.
    func aggregateCells(_ found: [Cell], _ other: String) throws -> [AggregateCell] {
        try Self.checkRows(found.count, "department × \(other)")
        return found.map {
            AggregateCell(department: $0.keys[0].isEmpty ? nil : $0.keys[0],
                          label: other == "outcome" && $0.keys[1].isEmpty ? nil : $0.keys[1], sums: $0.sums)
        }
    }

    /// `dialogctl kpi`: the KPIs of docs/roi.md over the query's window and filters (grouping
    /// ignored), customer conversion included.
    public func kpis(_ query: RoiQuery, now: Int64) throws -> Kpis {
        try kpiResult(query, now: now).kpis
    }

    /// `kpi`'s answer: the window, its KPIs and customer conversion per department.
    public func kpiResult(_ query: RoiQuery, now: Int64) throws -> KpiResult {
        try labeler.checkFilter(query.employee)
        let (current, _) = try hours(of: query, now: now)
        let filters = Filters(query, vocabulary)
        var kpis = Kpis(outcomes: try aggregateCells(current, filters, "outcome"), channels: try aggregateCells(current, filters, "channel"),
                        callCenterContactCostCents: callCenterContactCostCents, serviceDepartments: serviceDepartments)
        let conversion = try customerConversion(current, filters)
        kpis.customerConversion = conversion.total
        return KpiResult(window: Self.span(current), kpis: kpis, customerConversionByDepartment: conversion.byDepartment)
    }

    /// `dialogctl pyramid`: executive, managers and practitioners levels for the query's window
    /// and filters (grouping ignored). Employee activity follows the privacy switch.
    public func pyramid(_ query: RoiQuery, now: Int64) throws -> Pyramid {
        try labeler.checkFilter(query.employee)
        let filters = Filters(query, vocabulary)
        let (current, previous) = try hours(of: query, now: now)
        // The three groupings share one read of the window's partial days.
        let withActivity = labeler.mode != .off
        // Activity shows conversations, minutes and sentiment: its whole days read those five sums.
        let all = RoiSumColumn.allCases, activitySums: [RoiSumColumn] = [.conversations, .seconds, .positive, .neutral, .negative]
        let found = try cells(hours: current, filters: filters,
                              byEach: [["department", "outcome"], ["department", "channel"]] + (withActivity ? [["employee", "channel"]] : []),
                              sums: [all, all, activitySums])
        var activity: [Pyramid.Activity] = []
        if withActivity, let found = found.last {
            // By bytes: two employees spelled alike stay two (`GroupKey`).
            var merged: [GroupKey: (employee: String, channel: String, sums: RoiSums)] = [:]
            try Self.checkRows(found.count, "employee × channel activity")
            merged.reserveCapacity(found.count)
            for cell in found {
                let label = employeeLabel(cell.keys[0]) ?? EmployeeLabeler.hidden
                merged[GroupKey([label, cell.keys[1]]), default: (label, cell.keys[1], RoiSums())].sums += cell.sums
            }
            activity = merged.values.sorted {
                $0.employee.sameBytes(as: $1.employee) ? $0.channel.sortsBefore($1.channel) : $0.employee.sortsBefore($1.employee)
            }.map {
                let figures = RoiFigures($0.sums)
                return Pyramid.Activity(employee: $0.employee, channel: $0.channel, conversations: figures.conversations,
                                        minutes: figures.minutes, sentiment: SentimentRatio($0.sums))
            }
        }
        var pyramid = Pyramid(
            window: Self.span(current), previousWindow: previous.map(Self.span),
            outcomes: try aggregateCells(found[0], "outcome"), channels: try aggregateCells(found[1], "channel"),
            previous: try previous.map { try cells(hours: $0, filters: filters, by: []).first?.sums ?? RoiSums() } ?? RoiSums(),
            activity: activity, employeeFigures: labeler.mode, callCenterContactCostCents: callCenterContactCostCents,
            serviceDepartments: serviceDepartments)
        try addOrderRevenue(to: &pyramid, filters: filters, hours: current)
        return pyramid
    }
}
