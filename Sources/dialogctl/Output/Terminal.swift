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
    static func complain(_ message: String) {
        FileHandle.standardError.write(Data(("dialogctl: " + Escape.terminal(message, keepingNewlines: true) + "\n").utf8))
    }

    /// True when standard output is a terminal (machine formats are escaped only then).
    static var outputIsTerminal: Bool { isatty(1) == 1 }
}
