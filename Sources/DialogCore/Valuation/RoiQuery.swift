/// What `dialogctl roi` asks (docs/roi.md, docs/protocol.md): a window, an optional grouping and filters.
public struct RoiQuery: Sendable, Equatable, Codable {
    /// A window back from the end of the current UTC hour: `Nh`, `Nd` or `Nw` (`24h`, `14d`,
    /// `2w`), or `all` for every stored hour. Written as the user gave it (lowercased).
    public struct Window: RawRepresentable, Sendable, Codable, Hashable {
        public let rawValue: String
        /// Length in hours; `nil` for `all`.
        public let hours: Int64?

        /// The longest window: a century, so hour arithmetic never nears Int64's ends.
        public static let maxHours: Int64 = 100 * 366 * 24

        /// `Nh`, `Nd`, `Nw` (N ≥ 1, at most a century) or `all`, any case; `nil` otherwise.
        public init?(rawValue text: String) {
            let lower = text.lowercased()
            if lower == "all" {
                self.rawValue = lower
                self.hours = nil
                return
            }
            guard let unit = lower.last, let scale: Int64 = ["h": 1, "d": 24, "w": 168][unit],
                  lower.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }),
                  let n = Int64(lower.dropLast()), n >= 1, n <= Self.maxHours / scale else { return nil }
            self.rawValue = lower
            self.hours = n * scale
        }

        public static let h24 = Window(rawValue: "24h")!, d7 = Window(rawValue: "7d")!, d30 = Window(rawValue: "30d")!
        public static let d90 = Window(rawValue: "90d")!, d365 = Window(rawValue: "365d")!, all = Window(rawValue: "all")!
        /// The common windows, for help texts and tests; any `Nh`/`Nd`/`Nw` is accepted.
        public static let allCases: [Window] = [h24, d7, d30, d90, d365, all]
        /// What a message says a window may be.
        public static let forms = "Nh, Nd or Nw (e.g. 24h, 14d, 2w) or all"
    }

    public enum Grouping: String, Sendable, Codable, CaseIterable {
        case department, outcome, channel, employee, day, week, month
        /// The site a record belongs to (`[site] id`; README "Many sites").
        case site
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
    /// Only the records of this site (`[site] id`).
    public var site: String?

    public init(window: Window = .d30, since: Int64? = nil, until: Int64? = nil, groupBy: Grouping? = nil,
                department: String? = nil, channel: String? = nil, employee: String? = nil, outcome: String? = nil,
                channelGroup: String? = nil, site: String? = nil) {
        self.site = site
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
