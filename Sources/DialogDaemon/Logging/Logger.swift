#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogSystem
import Foundation

/// One line per event on stderr with an sd-daemon `<N>` priority prefix, which journald turns
/// into PRIORITY=; written with one `write(2)` so lines never interleave and nothing is buffered.
/// Controls and bidi show visibly (`Escape.terminal`): a newline in a file name cannot forge a
/// line, an escape sequence in stored text cannot reach the terminal reading the journal.
public struct Logger: Sendable {
    public var level: LogLevel
    public var fd: Int32

    public init(level: LogLevel = .info, fd: Int32 = 2) {
        self.level = level
        self.fd = fd
    }

    public func error(_ message: @autoclosure () -> String) { log(.error, message()) }
    public func warning(_ message: @autoclosure () -> String) { log(.warning, message()) }
    public func notice(_ message: @autoclosure () -> String) { log(.notice, message()) }
    public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }

    public func log(_ priority: LogLevel, _ message: @autoclosure () -> String) {
        guard priority <= level else { return }
        var line = "<\(priority.rawValue)>" + Escape.terminal(message())
        line.append("\n")
        // A log line that cannot be written has nowhere else to go: drop it.
        try? writeAll(fd, Array(line.utf8), subject: "log")
    }
}
