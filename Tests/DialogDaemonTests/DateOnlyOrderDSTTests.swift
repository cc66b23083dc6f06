import DialogCore
import Foundation
import Testing

/// A date-only order without an order number on a day whose clock changes in the daemon's zone
/// (Europe/Berlin: 2026-03-29 has 23 hours, 2026-10-25 has 25; docs/roi.md "Date-only orders"):
/// its content is its key, so the same row dropped again — also after a restart, with the
/// process's `TZ` set — must be a duplicate, never a second order; and "that day" is the local
/// day, 23 or 25 hours long. Through the real daemon, spool, SQLite file and dialogctl.
@Suite("date-only orders on a clock-change day")
struct DateOnlyOrderDSTTests {
    static func talk(_ id: String, _ date: String) -> String {
        #"{"id":"\#(id)","date":"\#(date)","employee":"sara","department":"sales","outcome":"won","customer":"K-7007","duration":"10m"}"#
    }

    static func json(_ daemon: DaemonProcess, _ arguments: String...) throws -> [String: Any] {
        let run = try runDialogctl(["--socket", daemon.socketPath, "--json"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    static func int(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }

    static func attributed(_ daemon: DaemonProcess, _ id: String) -> Int64 {
        ((try? daemon.ctlJSON(ConversationDetail.self, "show", id))?.summary.attributedCents) ?? 0
    }

    /// Orders in the store over all time.
    static func orders(_ daemon: DaemonProcess) -> Int64? {
        int(((try? json(daemon, "roi", "--window", "all"))?["total"] as? [String: Any])?["orders"])
    }

    @Test("a keyless date-only order dropped again on a clock-change day is a duplicate, and its day is the local day",
          arguments: [("29.03.2026", "2026-03-29"), ("25.10.2026", "2026-10-25")])
    func duplicateOnClockChangeDay(german: String, iso: String) throws {
        let dir = TestDirectory("order-dst-\(iso)")
        let environment = ["TZ": "Europe/Berlin"]
        let daemon = try DaemonProcess(directory: dir).start(environment: environment)
        defer { daemon.stop() }
        let next = iso == "2026-03-29" ? "2026-03-30" : "2026-10-26"
        // The last half hour of the local day is a touch; the first half hour of the next is not.
        daemon.drop("talks.jsonl", [Self.talk("late", iso + " 23:30"), Self.talk("after", next + " 00:30")].joined(separator: "\n") + "\n")
        let export = "Kundennummer;Betrag;Bestelldatum\r\nK-7007;\"10,00 €\";\(german)\r\n"
        let isoExport = "Kundennummer;Betrag;Bestelldatum\r\nK-7007;\"10,00 €\";\(iso)\r\n"
        daemon.drop("erp.orders.csv", export)
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.orders(daemon) == 1 })
        daemon.drop("erp-again.orders.csv", export)
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["order_duplicates"]) == 1 })
        // After a restart (the zone read again) the same row, and the same day written the ISO way, are the same order.
        daemon.stop()
        try daemon.start(environment: environment)
        daemon.drop("erp-third.orders.csv", export)
        daemon.drop("erp-iso.orders.csv", isoExport)
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["order_duplicates"]) == 2 })
        #expect(Self.orders(daemon) == 1)
        #expect(Self.attributed(daemon, "late") == 10_00, "the last half hour of \(iso) got \(Self.attributed(daemon, "late")) cents")
        #expect(Self.attributed(daemon, "after") == 0)
    }
}
