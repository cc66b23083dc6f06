import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A private temporary directory per test (Swift Testing runs tests in parallel), removed at the end.
final class TestDirectory {
    let path: String

    init(_ label: String = "t") {
        var template = Array("/tmp/dialogd-\(label)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func sub(_ relative: String) -> String { path + "/" + relative }

    /// Writes a file in one go (for hostile inputs that must not go through tmp/).
    func write(_ relative: String, _ bytes: [UInt8]) {
        let target = sub(relative)
        try? FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: target, contents: Data(bytes))
    }

    func write(_ relative: String, _ text: String) { write(relative, Array(text.utf8)) }

    func makeDirectory(_ relative: String) {
        try? FileManager.default.createDirectory(atPath: sub(relative), withIntermediateDirectories: true)
    }

    func list(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sub(relative))) ?? []).sorted()
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: sub(relative)).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held.
func waitUntil(_ seconds: Double = 20, every interval: UInt32 = 20_000, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(interval)
    }
    return condition()
}

/// Today as RFC 3339 in UTC, shifted by `offset` seconds, so records stay within the
/// plausibility window whatever day the tests run.
func isoDate(_ offset: Int = 0) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date().addingTimeInterval(TimeInterval(offset)))
}

import DialogStore

/// Every stored record's text, for checks that each conversation is there exactly once.
func storedTexts(_ store: ConversationStore) throws -> [String] {
    try store.database.fetchAll("SELECT text FROM conversations", arguments: []) { row in row[0] as String }
}
