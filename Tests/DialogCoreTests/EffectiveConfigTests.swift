@testable import DialogCore
import Testing

/// `dialogd --check-config` prints `DialogConfig.effectiveINI`; a key it left out would show
/// its default to the admin and be lost when the output is pasted back.
@Suite("Effective configuration text")
struct EffectiveConfigTests {
    /// A value other than the default for every plain key the reader knows.
    static let changed: [String: String] = [
        "spool.dir": "/srv/spool", "spool.max_file_bytes": "8M", "spool.max_record_bytes": "2M",
        "spool.rescan_seconds": "120", "spool.archive_days": "7", "spool.tmp_max_age_hours": "12",
        "spool.batch_max_files": "500", "spool.batch_max_ms": "250",
        "site.id": "berlin", "site.shipped_figures": "recomputed",
        "store.path": "/srv/lib/d.db", "socket.path": "/srv/run/d.sock", "socket.mode": "0640",
        "socket.idle_timeout_seconds": "60",
        "records.timezone": "Europe/Berlin", "records.currency": "USD", "records.max_past_days": "365",
        "records.max_future_days": "1", "records.max_value": "5000", "records.max_headers": "50",
        "log.level": "debug", "access.admin_group": "ops", "access.query_group": "staff",
        "display.language": "de",
        "privacy.employee_figures": "named", "privacy.customers": "named", "privacy.text_days": "30",
        "valuation.cost_per_conversation": "0.75", "valuation.call_center_contact_cost": "6.10",
        "valuation.default_duration": "7m", "valuation.default_hourly_cost": "48.00",
        "attribution.model": "time_decay", "attribution.half_life": "36h", "attribution.lookback": "30d", "attribution.max_touches": "25", "attribution.max_orders": "250",
        "classification.min_confidence": "0.65",
        "roster.path": "/etc/dialogd/roster.csv",
    ]

    static func text(_ values: [String: String]) -> String {
        var bySection: [Substring: [String]] = [:]
        for (name, value) in values {
            let section = name.prefix { $0 != "." }
            bySection[section, default: []].append("\(name.dropFirst(section.count + 1)) = \(value)")
        }
        return bySection.map { "[\($0.key)]\n" + $0.value.joined(separator: "\n") }.joined(separator: "\n")
    }

    @Test("every key the reader knows is printed and parses back to the same configuration")
    func everyKeyRoundTrips() throws {
        #expect(Set(Self.changed.keys) == Set(ConfigKeys.setters.keys), "a new key needs a changed value here")
        let magnet = "\n[magnet.refunds]\ndimension = outcome\nlabel = complaint\nkeywords = money back, refund\npattern = \" geld zur(ü|ue)ck \"\nweight = 2.5"
        let config = try DialogConfig.parse(Self.text(Self.changed) + magnet)
        for (name, value) in Self.changed {
            var one = DialogConfig(layout: .system)
            let setter = try #require(ConfigKeys.setters[name])
            do { try setter(&one, value) } catch { Issue.record("\(name) = \(value): \(error.message)") }
            #expect(one != DialogConfig(layout: .system), "\(name) = \(value) is the default; the round trip would not see it dropped")
        }
        let printed = config.effectiveINI
        #expect(try DialogConfig.parse(printed) == config, "\(printed)")
        for section in Set(ConfigKeys.all.map(\.section)) {
            #expect(printed.contains("[\(section)]\n"), "[\(section)] missing")
        }
        #expect(printed.contains("[magnet.refunds]\n"))
    }

    @Test("unset keys are comments that say what applies instead")
    func unsetKeys() throws {
        let printed = DialogConfig(layout: .system).effectiveINI
        #expect(printed.contains("[site]\n# id is not set: the host name gives \(SiteID.hostDefault)"), "\(printed)")
        #expect(printed.contains("[roster]\n# path is not set: e-mail cannot be read"))
        #expect(try DialogConfig.parse(printed) == DialogConfig(layout: .system))
    }
}
