#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import Foundation

/// Where dialogctl writes for people. Stored text is hostile (issue 13): every human line goes
/// through `Escape.terminal`, so an OSC 52 or `ESC [ 2 J` in a customer name, a file name or a
/// reason is shown as `\x1b…`, not run, and bidi overrides cannot reorder a line. `--json`
/// output is exact JSON and does not come here.
enum Terminal {
    /// Text for standard output; line feeds between lines stay, every other control shows.
    static func show(_ text: String) { print(Escape.terminal(text, keepingNewlines: true)) }

    /// `dialogctl: message` on standard error, escaped the same way.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data(("dialogctl: " + Escape.terminal(message, keepingNewlines: true) + "\n").utf8))
    }

    /// A format for programs (metrics, CSV, JSON lines, HTML on standard output): exact into a
    /// pipe or file; on a terminal shown like human output, CRLF line ends as plain newlines.
    static func machineOutput(_ text: String) {
        guard isatty(1) == 1 else { FileHandle.standardOutput.write(Data(text.utf8)); return }
        let lines = String(decoding: text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? Array(line.dropLast()) : Array(line)
        }.joined(separator: [0x0A]).map { $0 }, as: UTF8.self)
        FileHandle.standardOutput.write(Data(Escape.terminal(lines, keepingNewlines: true).utf8))
    }
}
