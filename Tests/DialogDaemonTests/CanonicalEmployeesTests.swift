import DialogCore
import Testing

/// Employee names are bytes to SQLite: "Müller" composed and decomposed (as a Mac writes it) are
/// two employees in `list` and `--employee`. The figures grouped by employee must say the same,
/// not merge them because Swift's `String` compares canonically (attack review of session 19,
/// finding 1). Through the real daemon, store and dialogctl, in both modes that show employees.
@Suite("employees are bytes in every grouping", .serialized)
struct CanonicalEmployeesTests {
    static let (composed, decomposed) = ("M\u{FC}ller", "Mu\u{308}ller")

    static func talk(_ id: String, _ employee: String, outcome: String) -> String {
        #"{"id":"\#(id)","date":"\#(isoDate(-7200))","employee":"\#(employee)","channel":"email","department":"service","outcome":"\#(outcome)","duration":"15m"}"# + "\n"
    }

    @Test("roi --by employee and the pyramid's activity keep two employees apart, as list does", arguments: ["named", "pseudonymous"])
    func keptApart(mode: String) throws {
        let dir = TestDirectory("canonical-employees-\(mode)")
        let daemon = try DaemonProcess(directory: dir, settings: ["privacy.employee_figures": mode]).start()
        defer { daemon.stop() }
        // Twice, so a merge cannot hide behind which spelling met the cache first.
        daemon.drop("talks.jsonl", Self.talk("a1", Self.composed, outcome: "resolved") + Self.talk("b1", Self.decomposed, outcome: "none")
                    + Self.talk("a2", Self.composed, outcome: "resolved"))
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 3 })
        let listed = try daemon.ctlJSON(ListResult.self, "list", "--since", "30d").conversations
        var perEmployee: [[UInt8]: Int64] = [:]
        for row in listed { perEmployee[Array(row.employee.utf8), default: 0] += 1 }
        #expect(perEmployee.count == 2, "\(listed.map(\.employee))")

        let roi = try daemon.ctlJSON(RoiReport.self, "roi", "--window", "30d", "--by", "employee")
        let rows = Dictionary(roi.rows.map { (Array($0.key.utf8), $0.figures.conversations) }, uniquingKeysWith: +)
        #expect(roi.rows.count == 2 && rows == perEmployee, "roi \(roi.rows.map { ($0.key, $0.figures.conversations) }) vs list \(perEmployee)")
        let pyramid = try daemon.ctlJSON(Pyramid.self, "pyramid", "--window", "30d")
        let activity = Dictionary(pyramid.practitioners.activity.map { (Array($0.employee.utf8), $0.conversations) }, uniquingKeysWith: +)
        #expect(pyramid.practitioners.activity.count == 2 && activity == perEmployee, "\(pyramid.practitioners.activity)")
        // Each row is what `roi --employee` with its key says (a filter needs names).
        for row in roi.rows where mode == "named" {
            let one = try daemon.ctlJSON(RoiReport.self, "roi", "--window", "30d", "--employee", row.key)
            #expect(one.total.conversations == row.figures.conversations && one.total.netCents == row.figures.netCents, "\(row.key)")
        }
    }
}
