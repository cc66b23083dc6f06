import DialogCore
import Foundation

enum RoiFixtures {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    /// Instants the property test crowds records around: DST starts (2026-03-29 01:00 UTC),
    /// DST ends (2026-10-25 01:00 UTC), month and year ends in Berlin time, ISO week 53 of 2026.
    static let hotSpots: [Int64] = [
        1_774_746_000, // 2026-03-29T01:00Z
        1_792_890_000, // 2026-10-25T01:00Z
        1_769_900_400, // 2026-01-31T23:00Z = Feb 1 00:00 Berlin
        1_772_319_600, // 2026-02-28T23:00Z = Mar 1 00:00 Berlin
        1_798_757_999, // 2026-12-31T22:59:59Z
    ]

    static func randomRecord(_ g: inout SeededGenerator, n: Int) -> ConversationRecord {
        func pick<T>(_ options: [T]) -> T { options[Int.random(in: 0..<options.count, using: &g)] }
        func maybe<T>(_ v: @autoclosure () -> T) -> T? { Bool.random(using: &g) ? v() : nil }
        let center = pick(hotSpots)
        let date = center + Int64.random(in: -4 * 86_400...4 * 86_400, using: &g)
        return ConversationRecord(
            id: "r\(n)", date: date, employee: pick(["anna", "ben", "chris", "dana"]),
            channel: pick(["twitter", "email", "phone", "xing", "unknown"]),
            department: maybe(pick(["sales", "marketing", "service", "product", "legal"])),
            outcome: maybe(pick(["won", "lead", "lost", "engaged", "advocacy", "resolved", "escalated",
                                 "unresolved", "idea", "bug", "complaint", "none", "odd"])),
            durationSeconds: maybe(Int64.random(in: 1...7200, using: &g)),
            valueCents: maybe(Int64.random(in: -5_000...500_000, using: &g)),
            satisfaction: maybe(Int.random(in: 1...5, using: &g)),
            sentiment: maybe(pick(["positive", "neutral", "negative"])),
            responseTimeSeconds: maybe(Int64.random(in: 0...86_400, using: &g)))
    }

    /// The site a fixture record belongs to: its shipped copy's, else the store's own (`local`).
    static func site(_ r: ConversationRecord) -> String { r.shipped?.site ?? "local" }

    /// Two of three records are copies two other sites shipped (priced here, no figures given);
    /// ids repeat across the three sites, so each is three records.
    static func randomSiteRecord(_ g: inout SeededGenerator, n: Int) -> ConversationRecord {
        var r = randomRecord(&g, n: n / 3)
        let site = ["local", "north", "south"][n % 3]
        if site != "local" { r.shipped = ShippedCopy(site: site, revision: 1) }
        return r
    }

    static func hour(_ t: Int64) -> Int64 { Int64((Double(t) / 3600).rounded(.down)) }

    /// The calendar key of an instant by Foundation's own calendars (independent of HourCalendar).
    static func calendarKey(_ t: Int64, _ grouping: RoiQuery.Grouping, _ zone: TimeZone) -> String {
        let date = Date(timeIntervalSince1970: Double(t))
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if grouping == .week {
            var iso = Calendar(identifier: .iso8601)
            iso.timeZone = zone
            let c = iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            return "\(c.yearForWeekOfYear!)-W" + pad(c.weekOfYear!)
        }
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = zone
        let c = gregorian.dateComponents([.year, .month, .day], from: date)
        return grouping == .month ? "\(c.year!)-" + pad(c.month!) : "\(c.year!)-" + pad(c.month!) + "-" + pad(c.day!)
    }

    /// The report a query must give, by brute force over the raw records.
    static func expected(_ records: [ConversationRecord], _ query: RoiQuery, hours: Range<Int64>, previous: Range<Int64>?,
                         valuation: Valuation, zone: TimeZone) -> (rows: [String: RoiSums], total: RoiSums, previous: RoiSums?) {
        func matches(_ r: ConversationRecord, _ p: PricedConversation) -> Bool {
            (query.department == nil || query.department == (p.department ?? "unassigned"))
                && (query.outcome == nil || query.outcome == (p.outcome ?? "unclassified"))
                && (query.channel == nil || query.channel == r.channel)
                && (query.employee == nil || query.employee == r.employee)
                && (query.channelGroup == nil || query.channelGroup == valuation.config.channelGroup(r.channel))
                && (query.site == nil || query.site == site(r))
        }
        var rows: [String: RoiSums] = [:]
        var total = RoiSums()
        var prev = RoiSums()
        for r in records {
            let p = valuation.price(r)
            guard matches(r, p) else { continue }
            let s = RoiSums(record: r, priced: p)
            let h = hour(r.date)
            if let previous, previous.contains(h) { prev += s }
            guard hours.contains(h) else { continue }
            total += s
            if let g = query.groupBy {
                let key: String = switch g {
                case .department: p.department ?? "unassigned"
                case .outcome: p.outcome ?? "unclassified"
                case .channel: r.channel
                case .channelGroup: valuation.config.channelGroup(r.channel)
                case .employee: r.employee
                case .site: site(r)
                default: calendarKey(r.date, g, zone)
                }
                rows[key, default: RoiSums()] += s
            }
        }
        return (rows, total, previous == nil ? nil : prev)
    }
}
