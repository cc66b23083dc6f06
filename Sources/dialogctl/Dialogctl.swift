#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import Foundation

/// The subcommand table, the root help, and the run from arguments to exit code.
/// Exit codes: 0 ok, 1 the daemon refused or failed the command, 64 usage, 69 daemon unreachable.
enum Dialogctl {
    static let subcommands: [any Subcommand.Type] = [
        StatusSubcommand.self, PingSubcommand.self, ListSubcommand.self, ShowSubcommand.self, QuarantineSubcommand.self,
        RetrySubcommand.self, ReloadSubcommand.self, MetricsSubcommand.self, BackupSubcommand.self, CheckSubcommand.self,
        RoiSubcommand.self, KpiSubcommand.self, PyramidSubcommand.self, RecomputeSubcommand.self,
        ReportSubcommand.self, ExportSubcommand.self, LogSubcommand.self, AmendSubcommand.self,
        ReviewSubcommand.self, RelabelSubcommand.self, ClassifySubcommand.self, EvaluateSubcommand.self, ForgetSubcommand.self,
    ]

    static func rootHelp() -> String {
        let width = subcommands.map { $0.name.count }.max() ?? 0
        let list = subcommands.map { "  " + $0.name + String(repeating: " ", count: width - $0.name.count + 4) + $0.abstract }
        return """
            OVERVIEW: Query and steer a running dialogd over its Unix socket.

            USAGE: dialogctl [--socket <path> | --config <path>] [--json] <subcommand> [<options>]

            OPTIONS:
            \(GlobalOptions.help)
              --version               Show the version.

            SUBCOMMANDS:
            \(list.joined(separator: "\n"))

              See 'dialogctl <subcommand> --help' for one subcommand's options.
              The socket is --socket, else --config's socket.path, else $DIALOGD_SOCKET, else
              /run/dialogd/dialogd.sock if it exists, else ./var/run/dialogd.sock.
            """
    }

    static func fail(_ message: String, code: Int32) -> Never {
        Terminal.note(message)
        exit(code)
    }

    /// `environment` looks a variable up by name.
    static func run(_ arguments: [String], environment: (String) -> String?) -> Int32 {
        if arguments == ["--version"] {
            print("dialogctl \(DialogVersion.current)")
            return 0
        }
        do throws(UsageError) {
            let (globals, rest) = try GlobalOptions.extract(arguments)
            guard let name = rest.first else {
                if globals.help { print(rootHelp()); return 0 }
                throw UsageError(message: "a subcommand is required")
            }
            if name == "help" {
                guard let topic = rest.dropFirst().first else { print(rootHelp()); return 0 }
                guard let command = subcommands.first(where: { $0.name == topic }) else { throw UsageError(message: "unknown subcommand '\(topic)'") }
                print(command.helpText)
                return 0
            }
            guard let command = subcommands.first(where: { $0.name == name }) else {
                throw UsageError(message: name.hasPrefix("-") ? "unknown option '\(name)'" : "unknown subcommand '\(name)'")
            }
            if globals.help {
                print(command.helpText)
                return 0
            }
            var cursor = ArgumentCursor(Array(rest.dropFirst()), command: name)
            return try command.init(&cursor).start(globals, environment: environment)
        } catch {
            let pointer = error.command.map { "See 'dialogctl \($0) --help'." } ?? "See 'dialogctl --help'."
            Terminal.note("\(error.message)\n\(pointer)")
            return 64
        }
    }

    /// Sends the request, then prints the result (human or `--json`) or the daemon's error.
    /// `--json` prints the result as the daemon sent it (pretty, keys sorted); a person gets
    /// `render` of the typed result.
    static func execute<Command: Subcommand>(_ command: Command, _ session: Session) -> Int32 {
        do throws(SessionError) {
            let timeout = command.replyTimeoutSeconds
            if session.json {
                print(JSONOutput.pretty(try session.call(command.request, as: JSONValue.self, timeoutSeconds: timeout)))
            } else if command.isMachineFormat {
                Terminal.machineOutput(command.render(try session.call(command.request, as: Command.Result.self, timeoutSeconds: timeout)) + "\n")
            } else {
                Terminal.show(command.render(try session.call(command.request, as: Command.Result.self, timeoutSeconds: timeout)))
            }
            return 0
        } catch {
            return Session.fail(error)
        }
    }
}
