import DialogCore
import Foundation

/// Options every subcommand takes, before or after its name: where the socket is, JSON output.
struct GlobalOptions {
    var socket: String?
    var config: String?
    var json = false
    var help = false

    static let help = """
          --socket <path>         The daemon's control socket (overrides --config and $DIALOGD_SOCKET).
          --config <path>         Read the socket path from this dialogd.conf.
          --json                  Print the raw result as JSON, for scripts.
          -h, --help              Show help information.
        """

    /// Takes the global options out of `arguments` wherever they are; returns the rest in order.
    static func extract(_ arguments: [String]) throws(UsageError) -> (GlobalOptions, [String]) {
        var options = GlobalOptions()
        var rest: [String] = []
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--" {
                rest.append(argument)
                rest.append(contentsOf: remaining)
                break
            }
            let (name, inline) = split(argument)
            switch name {
            case "--socket", "--config":
                guard let value = inline ?? remaining.popFirst(), !value.isEmpty else {
                    throw UsageError(message: "missing value for '\(name) <path>'")
                }
                if name == "--socket" { options.socket = value } else { options.config = value }
            case "--json":
                options.json = true
            case "-h", "--help":
                options.help = true
            default:
                rest.append(argument)
            }
        }
        return (options, rest)
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// `--socket`, then `--config`'s socket.path, then `$DIALOGD_SOCKET`, then the installed
    /// path if it exists, else the checkout's `./var/run/dialogd.sock`.
    func socketPath(environment: (String) -> String?) throws(UsageError) -> String {
        if let socket { return socket }
        if let config {
            guard let data = FileManager.default.contents(atPath: config), let text = String(data: data, encoding: .utf8) else {
                throw UsageError(message: "cannot read the configuration \(config)")
            }
            do { return try DialogConfig.parse(text, layout: .system).socket.path } catch {
                throw UsageError(message: "\(config): \(error)")
            }
        }
        if let fromEnvironment = environment("DIALOGD_SOCKET"), !fromEnvironment.isEmpty { return fromEnvironment }
        let installed = DialogConfig(layout: .system).socket.path
        if FileManager.default.fileExists(atPath: installed) { return installed }
        return DialogConfig(layout: .checkout(root: FileManager.default.currentDirectoryPath)).socket.path
    }
}
