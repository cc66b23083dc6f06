import DialogCore
import Foundation
import Testing

/// Issue 16 move 5: dialogctl decodes each reply once into the result type of
/// `Sources/DialogCore/Wire`. Every command's real reply must decode into its type and encode
/// back to the same bytes — a key the type does not know (renamed, retyped or new on the
/// daemon's side) fails here instead of turning into a silent nil in dialogctl, and every key
/// must be one docs/protocol.md names (a rename in a shared type changes both sides at once).
@Suite("Every reply decodes into its result type")
struct WireRoundTripTests {
    /// The reply decoded as `ControlReply<T>` with the wire's decoder and encoded again.
    static func roundTrip<T: Codable>(_ type: T.Type, _ line: String) throws -> String {
        let reply = try WireCoding.decoder().decode(ControlReply<T>.self, from: Data(line.utf8))
        return String(decoding: try WireCoding.encoder().encode(reply), as: UTF8.self)
    }

    /// Objects whose keys are data (channels, spool areas, label sources), not field names.
    static let dataMaps: Set<String> = ["share_of_voice", "backlog", "by_source"]

    /// Every field name in `value`, at any depth.
    static func keys(_ value: JSONValue) -> [String] {
        switch value {
        case .object(let members): return members.flatMap { [$0.key] + (dataMaps.contains($0.key) ? [] : keys($0.value)) }
        case .array(let items): return items.flatMap(keys)
        default: return []
        }
    }

    static let protocolDoc = (try? String(contentsOfFile: ManPageTests.packageRoot + "/docs/protocol.md", encoding: .utf8)) ?? ""

    @Test("each command's reply round-trips through its type byte for byte; its keys are snake_case and documented")
    func everyResultType() throws {
        let dir = TestDirectory("wire-round-trip")
        let daemon = DaemonProcess(directory: dir, settings: ["privacy.employee_figures": "named"])
        try daemon.start()
        defer { daemon.stop() }
        let examples = ManPageTests.packageRoot + "/examples"
        for name in try FileManager.default.contentsOfDirectory(atPath: examples).sorted() {
            daemon.drop(name, Array(try Data(contentsOf: URL(fileURLWithPath: examples + "/" + name))))
        }
        daemon.drop("broken.csv", "no header here\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { ((try? daemon.ctlJSON(StatusResult.self, "status").conversations) ?? 0) >= 9 })

        let client = try RawControlClient(path: daemon.socketPath, receiveTimeoutSeconds: 30)
        var checked: [String] = []
        func check<T: Codable>(_ type: T.Type, _ request: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            guard case .line(let line) = client.request(request) else {
                Issue.record("no reply to \(request)", sourceLocation: sourceLocation)
                return
            }
            #expect(line.hasPrefix(#"{"ok":true,"result":"#), "\(request): \(line.prefix(300))", sourceLocation: sourceLocation)
            #expect(try Self.roundTrip(T.self, line) == line, "\(request) through \(T.self)", sourceLocation: sourceLocation)
            let keys = Set(Self.keys(try JSONParser.parse(Array(line.utf8))))
            let uppercase = keys.filter { $0 != $0.lowercased() }
            #expect(uppercase.isEmpty, "\(request): keys not in snake_case \(uppercase.sorted())", sourceLocation: sourceLocation)
            // A key renamed in a shared type still round-trips; the contract (docs/protocol.md) catches it.
            let undocumented = keys.filter { !Self.protocolDoc.contains("\"\($0)\"") && !Self.protocolDoc.contains("`\($0)`") }
            #expect(undocumented.isEmpty, "\(request): keys not in docs/protocol.md \(undocumented.sorted())", sourceLocation: sourceLocation)
            checked.append(request)
        }
        try check(PingResult.self, #"{"command":"ping"}"#)
        try check(StatusResult.self, #"{"command":"status"}"#)
        try check(ListResult.self, #"{"command":"list"}"#)
        try check(ConversationDetail.self, #"{"command":"show","args":{"key":"1"}}"#)
        try check(ConversationDetail.self, #"{"command":"show","args":{"key":"3"}}"#)
        try check(QuarantineResult.self, #"{"command":"quarantine"}"#)
        try check(ReviewResult.self, #"{"command":"review"}"#)
        try check(ClassifyResult.self, #"{"command":"classify","args":{"text":"Rückerstattung bitte, das Paket kam kaputt an"}}"#)
        for by in ["", #","by":"department""#, #","by":"channel""#, #","by":"month""#] {
            try check(InCurrency<RoiReport>.self, #"{"command":"roi","args":{"window":"all"\#(by)}}"#)
        }
        try check(InCurrency<RoiReport>.self, #"{"command":"roi","args":{"window":"30d","by":"employee"}}"#)
        try check(InCurrency<KpiResult>.self, #"{"command":"kpi","args":{"window":"all"}}"#)
        try check(InCurrency<Pyramid>.self, #"{"command":"pyramid","args":{"window":"all"}}"#)
        try check(InCurrency<Pyramid>.self, #"{"command":"pyramid","args":{"window":"30d"}}"#)
        try check(LabelSourcesResult.self, #"{"command":"labels","args":{"window":"all"}}"#)
        try check(MetricsResult.self, #"{"command":"metrics"}"#)
        try check(CheckResult.self, #"{"command":"check"}"#)
        try check(RelabelResult.self, #"{"command":"relabel","args":{"id":1,"outcome":"won"}}"#)
        try check(RecomputeResult.self, #"{"command":"recompute"}"#)
        try check(ReloadResult.self, #"{"command":"reload"}"#)
        try check(BackupResult.self, #"{"command":"backup","args":{"path":"\#(dir.sub("backup.db"))"}}"#)
        try check(RetryResult.self, #"{"command":"retry","args":{"name":"broken.csv"}}"#)
        try check(ForgetResult.self, #"{"command":"forget","args":{"customer":"@kunde123"}}"#)
        #expect(checked.count == 25, "\(checked)")

        // export: dialogctl reads its rows as plain JSON (every column passes on), the page typed.
        guard case .line(let line) = client.request(#"{"command":"export","args":{"window":"all","limit":5}}"#) else {
            Issue.record("no export reply")
            return
        }
        let page = try #require(try WireCoding.decoder().decode(ControlReply<ExportPage<JSONValue>>.self, from: Data(line.utf8)).result)
        #expect(page.rows.count == 5 && page.nextAfter != nil && page.window != nil && page.currency == "EUR", "\(line.prefix(300))")
        let keys = Set(Self.keys(try JSONParser.parse(Array(line.utf8))))
        #expect(keys.filter { !Self.protocolDoc.contains("\"\($0)\"") && !Self.protocolDoc.contains("`\($0)`") }.isEmpty, "\(keys.sorted())")
    }
}
