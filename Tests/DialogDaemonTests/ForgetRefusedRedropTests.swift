import DialogCore
import Foundation
import Testing

/// Issue 14, outside check newcomer11: (A) another customer's refused row naming her came back
/// on a re-drop when it was past the 1,000th refused row of its file or named her past its first
/// 4 KiB (only the capped rejects list was searched); (B) a file named after her with a combining
/// mark after her address was kept under her address on a re-drop; (C) her row cut off in a
/// quoted field took every line after it out of the quarantined `.csv` (docs/roi.md "Erasure").
@Suite("privacy: re-dropped refused rows and names after forget")
struct ForgetRefusedRedropTests {
    static let header = ForgetRefusedCSVTests.header
    static let row = ForgetRefusedCSVTests.row

    @Test("C: her row cut off in a quoted field goes from the quarantined .csv with its text's lines; the other customers' lines after it stay")
    func cutOffRowKeepsTheLinesAfterIt() throws {
        let dir = TestDirectory("forget-refused-redrop-c")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let before = (1...5).map { Self.row(-9000 + $0, "bob\($0)@example.com", "keep-before-\($0)") }
        let after = (6...12).map { Self.row(-8000 + $0, "dave\($0)@example.com", "keep-after-\($0)") }
        let big = ([Self.header] + before + [Self.row(-8500, "alice@example.com", "\"ECHIDNA-CUT text"), "ECHIDNA second line of her text"] + after)
            .joined(separator: "\n") + "\n"
        daemon.drop("big.csv", big)
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("big.csv.reason") })
        _ = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        let kept = dir.read("spool/quarantine/big.csv") ?? ""
        #expect(!kept.lowercased().contains("echidna") && !kept.contains("alice@example.com"), "\(kept)")
        #expect((1...12).allSatisfy { kept.contains($0 <= 5 ? "keep-before-\($0)" : "keep-after-\($0)") }, "\(kept)")

        daemon.drop("big.csv", big)
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("big.csv.1") && !(dir.read("spool/quarantine/big.csv.1") ?? "echidna").lowercased().contains("echidna") })
        let again = dir.read("spool/quarantine/big.csv.1") ?? ""
        #expect((6...12).allSatisfy { again.contains("keep-after-\($0)") }, "\(again)")
    }
}
