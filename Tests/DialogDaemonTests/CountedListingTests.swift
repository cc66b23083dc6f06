import DialogCore
import Foundation
import Testing

/// `list` and `show` show what the ROI figures count (issue 18 item 5): the counted labels
/// (after classification and review), the counted value, cost and net; the written labels
/// where they differ.
@Suite("list and show: what is counted")
struct CountedListingTests {
    /// Three conversations: an outcome without a department (counted as service with the
    /// outcome's default value), a logged sale, and a text without any label (left to review:
    /// the model is never confident enough with `min_confidence = 1`).
    static func seeded(_ label: String) throws -> (TestDirectory, DaemonProcess) {
        let dir = TestDirectory(label)
        let daemon = DaemonProcess(directory: dir, settings: ["privacy.employee_figures": "named", "classification.min_confidence": "1"])
        try daemon.start()
        let lines = [
            #"{"date":"\#(isoDate(-7200))","employee":"anna","outcome":"resolved","channel":"email","duration":"30m","text":"refund sent"}"#,
            #"{"date":"\#(isoDate(-3600))","employee":"bert","department":"sales","outcome":"won","channel":"xing","duration":"1h","value":"1.200,00 €"}"#,
            #"{"date":"\#(isoDate(-1800))","employee":"cora","channel":"chat","duration":"10m","text":"qwertz asdfgh"}"#,
        ]
        daemon.drop("three.jsonl", lines.joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 3 })
        return (dir, daemon)
    }

    @Test("list: counted department, outcome, value, cost and net; a department filter never shows '-'")
    func list() throws {
        let (_, daemon) = try Self.seeded("counted-list")
        defer { daemon.stop() }
        let all = try daemon.ctlJSON(ListResult.self, "list")
        let anna = try #require(all.conversations.first { $0.employee == "anna" })
        #expect(anna.department == nil, "the record wrote no department")
        #expect(anna.departmentCounted == "service" && anna.outcomeCounted == "resolved" && anna.channelCounted == "email")
        // service 40.00/h × 30 min + 0.50; the outcome's default value 30.00.
        #expect(anna.costCents == 2050 && anna.valueCentsCounted == 3000 && anna.netCents == 950, "\(anna)")
        let bert = try #require(all.conversations.first { $0.employee == "bert" })
        #expect(bert.valueCentsCounted == 120_000 && bert.costCents == 5550 && bert.netCents == 120_000 - 5550)
        let cora = try #require(all.conversations.first { $0.employee == "cora" })
        #expect(cora.departmentCounted == "unassigned" && cora.outcomeCounted == "unclassified", "\(cora)")

        let service = try daemon.ctl("list", "--department", "service")
        #expect(service.status == 0, "\(service.stderr)")
        let rows = service.stdout.split(separator: "\n").map(String.init)
        let header = try #require(rows.first)
        for column in ["DEPARTMENT", "VALUE", "COST", "NET"] { #expect(header.contains(column), "\(header)") }
        let column = try #require(header.range(of: "DEPARTMENT")).lowerBound.utf16Offset(in: header)
        let body = rows.dropFirst().filter { !$0.hasPrefix("*") && !$0.hasPrefix("(") }
        #expect(body.count == 1, "\(service.stdout)")
        for row in body {
            let cell = row.utf16.dropFirst(column).prefix(10)
            #expect(String(cell)?.hasPrefix("service") == true, "department column: \(row)")
        }
        #expect(service.stdout.contains("30.00 EUR") && service.stdout.contains("20.50 EUR") && service.stdout.contains("9.50 EUR"),
                "value, cost and net of the counted figures: \(service.stdout)")
    }

    @Test("show: counted labels and figures, the written label where it differs; relabel shows at once")
    func show() throws {
        let (_, daemon) = try Self.seeded("counted-show")
        defer { daemon.stop() }
        let all = try daemon.ctlJSON(ListResult.self, "list")
        let anna = try #require(all.conversations.first { $0.employee == "anna" })
        let shown = try daemon.ctl("show", String(anna.id))
        #expect(shown.status == 0, "\(shown.stderr)")
        for pattern in [#"department:\s+service"#, #"outcome:\s+resolved"#, #"value:\s+30\.00 EUR"#, #"cost:\s+20\.50 EUR"#, #"net:\s+9\.50 EUR"#] {
            #expect(shown.stdout.range(of: pattern, options: .regularExpression) != nil, "\(pattern) in \(shown.stdout)")
        }

        let cora = try #require(all.conversations.first { $0.employee == "cora" })
        let relabel = try daemon.ctl("relabel", String(cora.id), "--department", "service")
        #expect(relabel.status == 0, "\(relabel.stderr)")
        let after = try daemon.ctl("show", String(cora.id))
        #expect(after.stdout.range(of: #"department:\s+service"#, options: .regularExpression) != nil, "\(after.stdout)")
        #expect(after.stdout.contains("review"), "says who decided: \(after.stdout)")
        let detail = try daemon.ctlJSON(ConversationDetail.self, "show", String(cora.id))
        #expect(detail.summary.departmentCounted == "service" && detail.summary.department == nil)
        #expect(detail.summary.costCents == 717, "service 40.00/h × 10 min + 0.50: \(detail.summary)")

        // A written label that differs from the counted one is shown beside it.
        let bert = try #require(all.conversations.first { $0.employee == "bert" })
        _ = try daemon.ctl("relabel", String(bert.id), "--department", "marketing")
        let moved = try daemon.ctl("show", String(bert.id))
        #expect(moved.stdout.range(of: #"department:\s+marketing \(.*written: sales"#, options: .regularExpression) != nil, "\(moved.stdout)")
        let listed = try daemon.ctl("list")
        #expect(listed.stdout.contains("marketing*"), "list marks a counted label that differs from the written one: \(listed.stdout)")
    }
}
