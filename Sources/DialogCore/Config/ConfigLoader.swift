import Foundation

/// A mistake in the configuration file, pointing at the line and key.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var key: String?
    public var message: String

    public init(file: String? = nil, line: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let line { parts.append("line \(line)") }
        if let key { parts.append(key) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

extension DialogConfig {
    /// Reads an INI text over the defaults of `layout`. Unknown sections and keys are errors:
    /// a typo must not silently leave a default in force.
    public static func parse(_ text: String, layout: Layout = .system) throws(ConfigError) -> DialogConfig {
        let ini: IniFile
        do { ini = try IniFile(text: text) } catch { throw ConfigError(line: error.line, message: error.message) }
        var config = DialogConfig(layout: layout)
        for entry in ini.entries {
            let name = entry.section + "." + entry.key
            if let (kind, entity) = ValuationKeys.split(entry.section) {
                do { try ValuationKeys.set(&config, kind: kind, name: entity, key: entry.key, value: entry.value) } catch {
                    throw ConfigError(line: entry.line, key: name, message: error.message)
                }
                continue
            }
            if let magnet = MagnetKeys.split(entry.section) {
                do { try MagnetKeys.set(&config, name: magnet, key: entry.key, value: entry.value) } catch {
                    throw ConfigError(line: entry.line, key: name, message: error.message)
                }
                continue
            }
            guard let setter = ConfigKeys.setters[name] else {
                let known = ConfigKeys.setters.keys.filter { $0.hasPrefix(entry.section + ".") }.sorted()
                let hint = known.isEmpty
                    ? "unknown section [\(entry.section)]"
                    : "unknown key; [\(entry.section)] knows " + known.map { String($0.dropFirst(entry.section.count + 1)) }.joined(separator: ", ")
                throw ConfigError(line: entry.line, key: name, message: hint)
            }
            do { try setter(&config, entry.value) } catch {
                throw ConfigError(line: entry.line, key: name, message: error.message)
            }
        }
        for section in ini.sections {
            if let (kind, entity) = ValuationKeys.split(section) {
                // An empty named section still declares the entity.
                do { try ValuationKeys.ensure(&config, kind: kind, name: entity) } catch {
                    throw ConfigError(key: "[\(section)]", message: error.message)
                }
            } else if let magnet = MagnetKeys.split(section) {
                do { try MagnetKeys.ensure(&config, name: magnet) } catch {
                    throw ConfigError(key: "[\(section)]", message: error.message)
                }
            } else if !ConfigKeys.setters.keys.contains(where: { $0.hasPrefix(section + ".") }) {
                throw ConfigError(key: "[\(section)]", message: "unknown section")
            }
        }
        try ValuationKeys.validate(config)
        try MagnetKeys.validate(config)
        try ValuationKeys.mapMagnetLabels(&config)
        return config
    }
}

/// One table of every key, its parser and its validation, so docs and code cannot drift apart.
enum ConfigKeys {
    struct Invalid: Error { var message: String }
    typealias Setter = @Sendable (inout DialogConfig, String) throws(Invalid) -> Void

    static let setters: [String: Setter] = [
        "spool.dir": { c, v throws(Invalid) in c.spool.dir = try path(v) },
        "spool.max_file_bytes": { c, v throws(Invalid) in c.spool.maxFileBytes = try size(v, 1...(1 << 30)) },
        "spool.max_record_bytes": { c, v throws(Invalid) in c.spool.maxRecordBytes = try size(v, 1024...(64 << 20)) },
        "spool.rescan_seconds": { c, v throws(Invalid) in c.spool.rescanSeconds = try int(v, 1...86_400) },
        "spool.archive_days": { c, v throws(Invalid) in c.spool.archiveDays = try int(v, 0...36_500) },
        "spool.tmp_max_age_hours": { c, v throws(Invalid) in c.spool.tmpMaxAgeHours = try int(v, 1...8_760) },
        "spool.batch_max_files": { c, v throws(Invalid) in c.spool.batchMaxFiles = try int(v, 1...100_000) },
        "spool.batch_max_ms": { c, v throws(Invalid) in c.spool.batchMaxMilliseconds = try int(v, 1...60_000) },
        "site.id": { c, v throws(Invalid) in
            guard SiteID.isValid(v) else { throw Invalid(message: "expected a site id: " + SiteID.form + ", found \(v)") }
            c.site.id = v
        },
        "site.shipped_figures": { c, v throws(Invalid) in
            guard let mode = Site.ShippedFigures(rawValue: v.lowercased()) else {
                throw Invalid(message: "expected kept or recomputed, found \(v)")
            }
            c.site.shippedFigures = mode
        },
        "store.path": { c, v throws(Invalid) in c.store.path = try path(v) },
        "socket.path": { c, v throws(Invalid) in
            c.socket.path = try path(v)
            guard v.utf8.count < 108 else { throw Invalid(message: "a socket path shorter than 108 bytes") }
        },
        "socket.mode": { c, v throws(Invalid) in c.socket.mode = try octal(v) },
        "socket.idle_timeout_seconds": { c, v throws(Invalid) in c.socket.idleTimeoutSeconds = try int(v, 1...86_400) },
        "records.timezone": { c, v throws(Invalid) in
            guard v == "local" || TimeZone(identifier: v) != nil else {
                throw Invalid(message: "expected `local` or a zone name like Europe/Berlin, found \(v)")
            }
            c.records.timeZone = v
        },
        "records.currency": { c, v throws(Invalid) in
            let code = v.uppercased()
            guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw Invalid(message: "expected a three-letter ISO 4217 code like EUR, found \(v)")
            }
            c.records.currency = code
        },
        "records.max_past_days": { c, v throws(Invalid) in c.records.maxPastDays = try int(v, 1...36_500) },
        "records.max_future_days": { c, v throws(Invalid) in c.records.maxFutureDays = try int(v, 0...3_650) },
        "records.max_value": { c, v throws(Invalid) in c.records.maxValue = Int64(try int(v, 1...1_000_000_000_000)) },
        "records.max_headers": { c, v throws(Invalid) in c.records.maxHeaders = try int(v, 1...10_000) },
        "log.level": { c, v throws(Invalid) in
            guard let level = LogLevel(name: v) else {
                throw Invalid(message: "expected error, warning, notice, info or debug, found \(v)")
            }
            c.log.level = level
        },
        "valuation.cost_per_conversation": { c, v throws(Invalid) in
            c.valuation.costPerConversationCents = try ValuationKeys.money(v, allowNegative: false)
        },
        "valuation.call_center_contact_cost": { c, v throws(Invalid) in
            c.valuation.callCenterContactCostCents = try ValuationKeys.money(v, allowNegative: false)
        },
        "valuation.default_duration": { c, v throws(Invalid) in c.valuation.defaultDurationSeconds = try ValuationKeys.duration(v) },
        "valuation.default_hourly_cost": { c, v throws(Invalid) in
            c.valuation.defaultHourlyCostCents = try ValuationKeys.money(v, allowNegative: false)
        },
        "privacy.employee_figures": { c, v throws(Invalid) in
            guard let mode = EmployeeFigures(rawValue: v.lowercased()) else {
                throw Invalid(message: "expected off, pseudonymous or named, found \(v)")
            }
            c.privacy.employeeFigures = mode
        },
        "privacy.customers": { c, v throws(Invalid) in
            guard let mode = CustomerNames(rawValue: v.lowercased()) else {
                throw Invalid(message: "expected pseudonymous or named, found \(v)")
            }
            c.privacy.customers = mode
        },
        "privacy.text_days": { c, v throws(Invalid) in c.privacy.textDays = try int(v, 0...36_500) },
        "attribution.model": { c, v throws(Invalid) in
            let name = v.lowercased()
            guard AttributionConfig.modelNames.contains(name) else {
                throw Invalid(message: "expected last_touch, first_touch, linear, time_decay or position, found \(v)")
            }
            c.attribution.modelName = name
        },
        "attribution.half_life": { c, v throws(Invalid) in c.attribution.halfLifeSeconds = try days(v) },
        "attribution.lookback": { c, v throws(Invalid) in c.attribution.lookbackSeconds = try days(v) },
        "display.language": { c, v throws(Invalid) in
            guard let language = DisplayLanguage(rawValue: v.lowercased()) else {
                throw Invalid(message: "expected en or de, found \(v)")
            }
            c.display.language = language
        },
        "classification.min_confidence": { c, v throws(Invalid) in
            guard let x = Double(v), x >= 0, x <= 1 else { throw Invalid(message: "expected a number from 0 to 1 like 0.5, found \(v)") }
            c.classification.minConfidence = x
        },
        "access.admin_group": { c, v throws(Invalid) in c.access.adminGroup = try name(v) },
        "access.query_group": { c, v throws(Invalid) in c.access.queryGroup = try name(v) },
        "roster.path": { c, v throws(Invalid) in c.roster.path = try path(v) },
    ]

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
