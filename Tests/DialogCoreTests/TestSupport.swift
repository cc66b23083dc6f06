import Foundation
@testable import DialogCore

/// 2026-11-29T00:00:00Z, computed (days_from_civil(2026,11,29) × 86400), so tests never depend on today.
let fixedNow: Int64 = 1_795_910_400

let berlin = TimeZone(identifier: "Europe/Berlin")!

func testSettings(_ tweak: (inout ParseSettings) -> Void = { _ in }) -> ParseSettings {
    var s = ParseSettings(timeZone: berlin, currency: "EUR", now: fixedNow)
    tweak(&s)
    return s
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Reads `text` as a file named `name` with the test settings.
func read(_ text: String, _ name: String, settings: ParseSettings = testSettings()) throws(RecordRejection) -> ParsedFile {
    try RecordReader(settings: settings).read(bytes(text), fileName: name)
}

/// The rejection a read throws, or nil when it succeeds.
func rejection(_ text: String, _ name: String, settings: ParseSettings = testSettings()) -> RecordRejection? {
    rejection(bytes(text), name, settings: settings)
}

func rejection(_ data: [UInt8], _ name: String, settings: ParseSettings = testSettings()) -> RecordRejection? {
    do {
        _ = try RecordReader(settings: settings).read(data, fileName: name)
        return nil
    } catch {
        return error
    }
}

/// A minimal valid record as JSON members, for building variants.
func jsonRecord(_ extra: String = "") -> String {
    #"{"date": "2026-11-28T14:05:00+01:00", "employee": "anna.schmidt""# + (extra.isEmpty ? "" : ", " + extra) + "}"
}
