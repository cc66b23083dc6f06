import DialogCore
import Foundation

/// The note dialogctl prints on standard error for a filter no stored conversation matches
/// (`unmatched_filters`, docs/protocol.md): without it a misspelt `--department` reads as a
/// window without revenue. Stored values are hostile: each is escaped on its own (a newline in
/// one shows as `\n`), and the daemon sends at most `UnmatchedFilter.maxKnown` of them.
enum FilterNoteText {
    static func line(_ unmatched: UnmatchedFilter) -> String {
        let known = unmatched.known.map { Escape.terminal($0) }.joined(separator: ", ")
            + (unmatched.moreKnown > 0 ? " and \(unmatched.moreKnown) more" : "")
        let stored = unmatched.known.isEmpty ? "none is stored" : "known: " + known
        return "note: no conversation has \(unmatched.filter) \"\(Escape.terminal(unmatched.value))\" (\(stored))"
    }

    /// The notes of a reply line, when its result carries any: read apart from the typed result,
    /// so every command with filters gets them, `--json` included (stdout stays as it was).
    static func notes(ofReply reply: [UInt8]) -> [String] {
        guard contains(reply, "\"unmatched_filters\""),
              let envelope = try? WireCoding.decoder().decode(ControlReply<FilterNotes>.self, from: Data(reply)) else { return [] }
        return (envelope.result?.unmatchedFilters ?? []).map(line)
    }

    private static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard bytes.count >= needle.count else { return false }
        return bytes.withUnsafeBufferPointer { hay in
            for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
                if needle.indices.allSatisfy({ hay[i + $0] == needle[$0] }) { return true }
            }
            return false
        }
    }
}
