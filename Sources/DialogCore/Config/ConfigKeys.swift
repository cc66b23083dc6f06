import Foundation

/// One table of every plain key: how it is read, validated and printed back, so the reader,
/// `dialogd --check-config` and the man page check cannot drift apart. Named sections
/// (`[department.NAME]`, `[magnet.NAME]`, …) have tables of their own.
enum ConfigKeys {
    struct Invalid: Error { var message: String }
    typealias Setter = @Sendable (inout DialogConfig, String) throws(Invalid) -> Void

    /// One key: `name` is `section.key`; `show` gives the effective value as the file would
    /// say it (`nil` when unset); `note` what a reader should know beside it (a comment).
    struct Key: Sendable {
        let name: String
        let show: @Sendable (DialogConfig) -> String?
        let note: @Sendable (DialogConfig) -> String?
        let set: Setter

        init(_ name: String, show: @escaping @Sendable (DialogConfig) -> String?,
             note: @escaping @Sendable (DialogConfig) -> String? = { _ in nil }, set: @escaping Setter) {
            self.name = name
            self.show = show
            self.note = note
            self.set = set
        }

        var section: Substring { name.prefix { $0 != "." } }
        var key: Substring { name.drop { $0 != "." }.dropFirst() }
    }

    /// In the order `--check-config` prints them.
    static let all: [Key] = [
        Key("spool.dir", show: { $0.spool.dir },
            set: { c, v throws(Invalid) in c.spool.dir = try path(v) }),
        Key("spool.max_file_bytes", show: { String($0.spool.maxFileBytes) },
            set: { c, v throws(Invalid) in c.spool.maxFileBytes = try size(v, 1...(1 << 30)) }),
        Key("spool.max_record_bytes", show: { String($0.spool.maxRecordBytes) },
            set: { c, v throws(Invalid) in c.spool.maxRecordBytes = try size(v, 1024...(64 << 20)) }),
        Key("spool.rescan_seconds", show: { String($0.spool.rescanSeconds) },
            set: { c, v throws(Invalid) in c.spool.rescanSeconds = try int(v, 1...86_400) }),
        Key("spool.archive_days", show: { String($0.spool.archiveDays) },
            set: { c, v throws(Invalid) in c.spool.archiveDays = try int(v, 0...36_500) }),
        Key("spool.tmp_max_age_hours", show: { String($0.spool.tmpMaxAgeHours) },
            set: { c, v throws(Invalid) in c.spool.tmpMaxAgeHours = try int(v, 1...8_760) }),
        Key("spool.batch_max_files", show: { String($0.spool.batchMaxFiles) },
            set: { c, v throws(Invalid) in c.spool.batchMaxFiles = try int(v, 1...100_000) }),
        Key("spool.batch_max_ms", show: { String($0.spool.batchMaxMilliseconds) },
            set: { c, v throws(Invalid) in c.spool.batchMaxMilliseconds = try int(v, 1...60_000) }),
        Key("store.path", show: { $0.store.path },
            set: { c, v throws(Invalid) in c.store.path = try path(v) }),
        Key("socket.path", show: { $0.socket.path },
            set: { c, v throws(Invalid) in
                c.socket.path = try path(v)
                guard v.utf8.count < 108 else { throw Invalid(message: "a socket path shorter than 108 bytes") }
            }),
        Key("socket.mode", show: { "0" + String($0.socket.mode, radix: 8) },
            set: { c, v throws(Invalid) in c.socket.mode = try octal(v) }),
        Key("socket.idle_timeout_seconds", show: { String($0.socket.idleTimeoutSeconds) },
            set: { c, v throws(Invalid) in c.socket.idleTimeoutSeconds = try int(v, 1...86_400) }),
        Key("site.id", show: { $0.site.id },
            note: { $0.site.id == nil ? "the host name gives \(SiteID.hostDefault), which becomes the home site of a new store" : nil },
            set: { c, v throws(Invalid) in
                guard SiteID.isValid(v) else { throw Invalid(message: "expected a site id: " + SiteID.form + ", found \(v)") }
                c.site.id = v
            }),
        Key("site.shipped_figures", show: { $0.site.shippedFigures.rawValue },
            set: { c, v throws(Invalid) in
                guard let mode = Site.ShippedFigures(rawValue: v.lowercased()) else {
                    throw Invalid(message: "expected kept or recomputed, found \(v)")
                }
                c.site.shippedFigures = mode
            }),
        Key("records.timezone", show: { $0.records.timeZone },
            set: { c, v throws(Invalid) in
                guard v == "local" || TimeZone(identifier: v) != nil else {
                    throw Invalid(message: "expected `local` or a zone name like Europe/Berlin, found \(v)")
                }
                c.records.timeZone = v
            }),
        Key("records.currency", show: { $0.records.currency },
            set: { c, v throws(Invalid) in
                let code = v.uppercased()
                guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                    throw Invalid(message: "expected a three-letter ISO 4217 code like EUR, found \(v)")
                }
                c.records.currency = code
            }),
        Key("records.max_past_days", show: { String($0.records.maxPastDays) },
            set: { c, v throws(Invalid) in c.records.maxPastDays = try int(v, 1...36_500) }),
        Key("records.max_future_days", show: { String($0.records.maxFutureDays) },
            set: { c, v throws(Invalid) in c.records.maxFutureDays = try int(v, 0...3_650) }),
        Key("records.max_value", show: { String($0.records.maxValue) },
            set: { c, v throws(Invalid) in c.records.maxValue = Int64(try int(v, 1...1_000_000_000_000)) }),
        Key("records.max_headers", show: { String($0.records.maxHeaders) },
            set: { c, v throws(Invalid) in c.records.maxHeaders = try int(v, 1...10_000) }),
        Key("log.level", show: { "\($0.log.level)" },
            set: { c, v throws(Invalid) in
                guard let level = LogLevel(name: v) else {
                    throw Invalid(message: "expected error, warning, notice, info or debug, found \(v)")
                }
                c.log.level = level
            }),
        Key("access.admin_group", show: { $0.access.adminGroup },
            set: { c, v throws(Invalid) in c.access.adminGroup = try name(v) }),
        Key("access.query_group", show: { $0.access.queryGroup },
            set: { c, v throws(Invalid) in c.access.queryGroup = try name(v) }),
        Key("display.language", show: { $0.display.language.rawValue },
            set: { c, v throws(Invalid) in
                guard let language = DisplayLanguage(rawValue: v.lowercased()) else {
                    throw Invalid(message: "expected en or de, found \(v)")
                }
                c.display.language = language
            }),
        Key("privacy.employee_figures", show: { $0.privacy.employeeFigures.rawValue },
            set: { c, v throws(Invalid) in
                guard let mode = EmployeeFigures(rawValue: v.lowercased()) else {
                    throw Invalid(message: "expected off, pseudonymous or named, found \(v)")
                }
                c.privacy.employeeFigures = mode
            }),
        Key("privacy.customers", show: { $0.privacy.customers.rawValue },
            set: { c, v throws(Invalid) in
                guard let mode = CustomerNames(rawValue: v.lowercased()) else {
                    throw Invalid(message: "expected pseudonymous or named, found \(v)")
                }
                c.privacy.customers = mode
            }),
        Key("privacy.text_days", show: { String($0.privacy.textDays) },
            set: { c, v throws(Invalid) in c.privacy.textDays = try int(v, 0...36_500) }),
        Key("valuation.cost_per_conversation", show: { DialogConfig.money($0.valuation.costPerConversationCents) },
            set: { c, v throws(Invalid) in
                c.valuation.costPerConversationCents = try ValuationKeys.money(v, allowNegative: false)
            }),
        Key("valuation.call_center_contact_cost", show: { DialogConfig.money($0.valuation.callCenterContactCostCents) },
            set: { c, v throws(Invalid) in
                c.valuation.callCenterContactCostCents = try ValuationKeys.money(v, allowNegative: false)
            }),
        Key("valuation.default_duration", show: { DialogConfig.duration($0.valuation.defaultDurationSeconds) },
            set: { c, v throws(Invalid) in c.valuation.defaultDurationSeconds = try ValuationKeys.duration(v) }),
        Key("valuation.default_hourly_cost", show: { DialogConfig.money($0.valuation.defaultHourlyCostCents) },
            set: { c, v throws(Invalid) in
                c.valuation.defaultHourlyCostCents = try ValuationKeys.money(v, allowNegative: false)
            }),
        Key("attribution.model", show: { $0.attribution.modelName },
            set: { c, v throws(Invalid) in
                let name = v.lowercased()
                guard AttributionConfig.modelNames.contains(name) else {
                    throw Invalid(message: "expected last_touch, first_touch, linear, time_decay or position, found \(v)")
                }
                c.attribution.modelName = name
            }),
        Key("attribution.half_life", show: { DialogConfig.span($0.attribution.halfLifeSeconds) },
            set: { c, v throws(Invalid) in c.attribution.halfLifeSeconds = try days(v) }),
        Key("attribution.lookback", show: { DialogConfig.span($0.attribution.lookbackSeconds) },
            set: { c, v throws(Invalid) in c.attribution.lookbackSeconds = try days(v) }),
        Key("attribution.max_touches", show: { "\($0.attribution.maxTouches)" },
            set: { c, v throws(Invalid) in
                guard let n = Int(v), n >= 1, n <= AttributionConfig.maxTouchesLimit else {
                    throw Invalid(message: "expected a whole number from 1 to \(AttributionConfig.maxTouchesLimit), found \(v)")
                }
                c.attribution.maxTouches = n
            }),
        Key("attribution.max_orders", show: { "\($0.attribution.maxOrders)" },
            set: { c, v throws(Invalid) in
                guard let n = Int(v), n >= 1, n <= AttributionConfig.maxOrdersLimit else {
                    throw Invalid(message: "expected a whole number from 1 to \(AttributionConfig.maxOrdersLimit), found \(v)")
                }
                c.attribution.maxOrders = n
            }),
        Key("classification.min_confidence", show: { "\($0.classification.minConfidence)" },
            set: { c, v throws(Invalid) in
                guard let x = Double(v), x >= 0, x <= 1 else { throw Invalid(message: "expected a number from 0 to 1 like 0.5, found \(v)") }
                c.classification.minConfidence = x
            }),
        Key("roster.path", show: { $0.roster.path },
            note: { c in c.roster.path == nil ? "e-mail cannot be read" : c.roster.table.map { "\($0.entries.count) employees" } },
            set: { c, v throws(Invalid) in c.roster.path = try path(v) }),
    ]

    static let setters: [String: Setter] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0.set) })

    static func path(_ v: String) throws(Invalid) -> String {
        guard !v.isEmpty, !v.contains("\u{0}") else { throw Invalid(message: "expected a path") }
        return v
    }

    static func name(_ v: String) throws(Invalid) -> String {
        guard !v.isEmpty, !v.contains(where: { $0.isWhitespace || $0 == ":" }) else {
            throw Invalid(message: "expected a group name without spaces, found \(v)")
        }
        return v
    }

    /// `90d`, `12h`, `2 Tage`: a span from one hour to ten years.
    static func days(_ v: String) throws(Invalid) -> Int64 {
        guard let s = DurationParser.parse(v), s >= 3600, s <= 3650 * 86_400 else {
            throw Invalid(message: "expected a span like 7d or 90d (1h to 3650d), found \(v)")
        }
        return s
    }

    static func int(_ v: String, _ range: ClosedRange<Int>) throws(Invalid) -> Int {
        guard let n = Int(v.replacingOccurrences(of: "_", with: "")), range.contains(n) else {
            throw Invalid(message: "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \(v)")
        }
        return n
    }

    /// `4194304`, `4096K`, `4M`, `4MiB`, `1G`: binary multiples, as admins write them.
    static func size(_ v: String, _ range: ClosedRange<Int>) throws(Invalid) -> Int {
        var digits = Substring(v.uppercased())
        var factor = 1
        for (suffix, f) in [("KIB", 1 << 10), ("MIB", 1 << 20), ("GIB", 1 << 30), ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("B", 1)] where digits.hasSuffix(suffix) {
            digits = digits.dropLast(suffix.count)
            factor = f
            break
        }
        guard let n = Int(String(digits).trimmingWhitespace()), n >= 0,
              case let (bytes, overflow) = n.multipliedReportingOverflow(by: factor), !overflow,
              range.contains(bytes)
        else {
            throw Invalid(message: "expected a size like 4M or 4194304 from \(range.lowerBound) to \(range.upperBound) bytes, found \(v)")
        }
        return bytes
    }

    static func octal(_ v: String) throws(Invalid) -> Int {
        guard let n = Int(v, radix: 8), (0...0o777).contains(n) else {
            throw Invalid(message: "expected an octal mode like 0660, found \(v)")
        }
        return n
    }
}
