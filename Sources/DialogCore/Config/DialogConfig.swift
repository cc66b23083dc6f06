import Foundation

/// The daemon's whole configuration (docs/design.md). Every key has a default, so the file is optional.
public struct DialogConfig: Sendable, Equatable {
    public struct Spool: Sendable, Equatable {
        public var dir: String
        /// Largest `.conv` or `.json` file, read whole.
        public var maxFileBytes: Int = 4 * 1024 * 1024
        /// Largest record of a streamed file (a `.jsonl` line, a `.csv` row); those files have no size limit.
        public var maxRecordBytes: Int = 1024 * 1024
        public var rescanSeconds: Int = 60
        public var archiveDays: Int = 30
        public var tmpMaxAgeHours: Int = 36
        /// Most files per transaction under load; idle drops still commit at once.
        public var batchMaxFiles: Int = 4000
        /// Longest a batch may collect before it commits, so a flood still shows progress.
        public var batchMaxMilliseconds: Int = 500
    }

    public struct Store: Sendable, Equatable {
        public var path: String
    }

    public struct Socket: Sendable, Equatable {
        public var path: String
        public var mode: Int = 0o660
        /// A control client silent this long is disconnected.
        public var idleTimeoutSeconds: Int = 30
    }

    public struct Records: Sendable, Equatable {
        /// Zone for dates written without offset; `local` means the machine's zone.
        public var timeZone: String = "local"
        public var currency: String = "EUR"
        public var maxPastDays: Int = 3650
        public var maxFutureDays: Int = 2
        /// Largest accepted absolute value, in whole currency units.
        public var maxValue: Int64 = 100_000_000
        public var maxHeaders: Int = 100
    }

    public struct Log: Sendable, Equatable {
        public var level: LogLevel = .info
    }

    /// How people read figures: the language of money and number formatting in dialogctl.
    public struct Display: Sendable, Equatable {
        public var language: DisplayLanguage = .en
    }

    public struct Access: Sendable, Equatable {
        public var adminGroup: String = "dialogd-admin"
        public var queryGroup: String = "dialogd-query"
    }

    /// Who is an employee (docs/spool.md "The roster"): the file's path, and its table once the
    /// daemon has read it (at start and on every reload).
    public struct RosterSource: Sendable, Equatable {
        public var path: String?
        public var table: Roster?
    }

    /// Where the built-in paths point: FHS paths for an installed service, `./var` for a checkout.
    public enum Layout: Sendable, Equatable {
        case system
        case checkout(root: String)
    }

    public var spool: Spool
    public var store: Store
    /// Which site this daemon is in a roll-up of many (README "Many sites").
    public var site = Site()
    public var socket: Socket
    public var records = Records()
    public var log = Log()
    public var access = Access()
    public var display = Display()
    /// Departments, outcomes, channels and rates (docs/roi.md).
    public var valuation = ValuationConfig()
    public var privacy = PrivacyConfig()
    /// How order revenue is credited to conversations (docs/roi.md "Orders and attribution").
    public var attribution = AttributionConfig()
    /// Rules and the confidence threshold of the classifier (docs/classification.md).
    public var classification = ClassificationConfig()
    public var roster = RosterSource()

    public init(layout: Layout) {
        switch layout {
        case .system:
            spool = Spool(dir: "/var/spool/dialogd")
            store = Store(path: "/var/lib/dialogd/dialogd.db")
            socket = Socket(path: "/run/dialogd/dialogd.sock")
        case .checkout(let root):
            let base = root.hasSuffix("/") ? root + "var" : root + "/var"
            spool = Spool(dir: base + "/spool")
            store = Store(path: base + "/lib/dialogd.db")
            socket = Socket(path: base + "/run/dialogd.sock")
        }
    }

    /// The resolved zone for local dates; `local` reads the machine's zone.
    public var timeZone: TimeZone {
        records.timeZone == "local" ? TimeZone.current : (TimeZone(identifier: records.timeZone) ?? .gmt)
    }

    /// What the record parsers need, with `now` fixed for one batch.
    public func parseSettings(now: Int64) -> ParseSettings {
        ParseSettings(
            timeZone: timeZone,
            currency: records.currency,
            channelAliases: valuation.channelAliases,
            vocabulary: LabelVocabulary(valuation),
            now: now,
            maxPastDays: records.maxPastDays,
            maxFutureDays: records.maxFutureDays,
            maxValueCents: records.maxValue * 100,
            maxHeaders: records.maxHeaders,
            maxRecordBytes: spool.maxRecordBytes,
            roster: roster.table
        )
    }
}

public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    // sd-daemon priorities (syslog levels)
    case error = 3, warning = 4, notice = 5, info = 6, debug = 7

    public init?(name: String) {
        switch name.lowercased() {
        case "error", "err": self = .error
        case "warning", "warn": self = .warning
        case "notice": self = .notice
        case "info": self = .info
        case "debug": self = .debug
        default: return nil
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
