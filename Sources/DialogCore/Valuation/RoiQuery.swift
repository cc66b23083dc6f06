/// What `dialogctl roi` asks (DESIGN §5, §6): a window, an optional grouping and filters.
public struct RoiQuery: Sendable, Equatable, Codable {
    /// Named windows end at the end of the current UTC hour; `all` spans every stored hour.
    public enum Window: String, Sendable, Codable, CaseIterable {
        case h24 = "24h", d7 = "7d", d30 = "30d", d90 = "90d", d365 = "365d", all

        /// Length in hours; `nil` for `all`.
        public var hours: Int64? {
            switch self {
            case .h24: 24
            case .d7: 7 * 24
            case .d30: 30 * 24
            case .d90: 90 * 24
            case .d365: 365 * 24
            case .all: nil
            }
        }
    }

    public enum Grouping: String, Sendable, Codable, CaseIterable {
        case department, outcome, channel, employee, day, week, month
        /// `[channel.NAME] group`: social against direct (issue 18); summed from the channels.
        case channelGroup = "channel_group"

        /// Calendar groupings follow the configured time zone.
        public var isCalendar: Bool { self == .day || self == .week || self == .month }
    }

    /// Most rows a grouping (and each list of `kpi` and `pyramid`) may return: a bounded reply
    /// and bounded work whatever the window (docs/protocol.md, "Request limits").
    public static let maxRows = 10_000

    /// A named window, used when `since`/`until` are not both given.
    public var window: Window
    /// Explicit start (Unix seconds, inclusive); rounded down to the hour.
    public var since: Int64?
    /// Explicit end (Unix seconds, exclusive); rounded up to the hour.
    public var until: Int64?
    public var groupBy: Grouping?
    public var department: String?
    public var channel: String?
    public var employee: String?
    public var outcome: String?
    /// Only the channels of this `[channel.NAME] group` (`other`: channels without one).
    public var channelGroup: String?

    public init(window: Window = .d30, since: Int64? = nil, until: Int64? = nil, groupBy: Grouping? = nil,
                department: String? = nil, channel: String? = nil, employee: String? = nil, outcome: String? = nil,
                channelGroup: String? = nil) {
        self.window = window
        self.since = since
        self.until = until
        self.groupBy = groupBy
        self.department = department
        self.channel = channel
        self.employee = employee
        self.outcome = outcome
        self.channelGroup = channelGroup
    }

    /// The window as whole UTC hours `[since, until)` (hour = floor(t / 3600)). Buckets are
    /// hours, so windows are hour-aligned: named windows end with the current hour, explicit
    /// bounds widen outwards to whole hours. `stored` is the first and last stored hour (`all`).
    public func hours(now: Int64, stored: ClosedRange<Int64>?) -> Range<Int64> {
        if since != nil || until != nil {
            let end = until.map { Self.floorHour($0) + ($0 % 3600 == 0 ? 0 : 1) } ?? (Self.floorHour(now) + 1)
            let start = since.map(Self.floorHour) ?? (end - (window.hours ?? 24))
            return start..<max(start, end)
        }
        guard let length = window.hours else {
            guard let stored else { return 0..<0 }
            return stored.lowerBound..<(stored.upperBound + 1)
        }
        let end = Self.floorHour(now) + 1
        return (end - length)..<end
    }

    /// The first second of `hour`, saturating instead of trapping at the ends of Int64.
    public static func hourStart(_ hour: Int64) -> Int64 {
        let (t, overflow) = hour.multipliedReportingOverflow(by: 3600)
        return overflow ? (hour < 0 ? Int64.min : Int64.max) : t
    }

    /// floor(t / 3600) without overflow, also for dates before 1970.
    public static func floorHour(_ t: Int64) -> Int64 { t % 3600 < 0 ? t / 3600 - 1 : t / 3600 }
}
