#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CDialogSystem
import DialogCore
import Foundation

/// `dialogd [--config PATH] [--check-config]`: parses the command line, loads the config and
/// runs the daemon. Exit codes: 0 clean stop, 1 runtime failure, 64 usage, 78 bad config.
public enum DaemonCommand {
    public static let usage = """
        usage: dialogd [--config PATH] [--check-config]

        Ingests conversation files dropped into the spool and keeps ROI figures in SQLite.

        options:
          --config PATH    read PATH (INI); keys not set there take the installed defaults
                           (/var/spool/dialogd, /var/lib/dialogd, /run/dialogd).
                           Without --config every path lives under ./var of the current
                           directory, for running from a checkout (`swift run dialogd`).
          --check-config   validate the configuration, print the effective values, exit
          --version        print the version and exit
          -h, --help       show this help
        """

    public static func main(arguments: [String], environment: [String: String]) -> Int32 {
        var configPath: String?
        var checkOnly = false
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            switch argument {
            case "--config":
                guard let path = rest.popFirst(), !path.isEmpty else { return usageError("--config needs a path") }
                configPath = path
            case _ where argument.hasPrefix("--config="):
                configPath = String(argument.dropFirst("--config=".count))
            case "--check-config":
                checkOnly = true
            case "--version":
                print("dialogd \(DialogVersion.current)")
                return 0
            case "-h", "--help":
                print(usage)
                return 0
            default:
                return usageError("unknown option \(argument)")
            }
        }
        let source: ConfigSource = configPath.map { .file($0) }
            ?? .checkout(root: FileManager.default.currentDirectoryPath)
        let config: DialogConfig
        do { config = try source.load() } catch {
            Logger().error("configuration: \(error)")
            return 78 // EX_CONFIG
        }
        if checkOnly {
            print(ConfigSummary.text(config, source: source))
            return 0
        }
        let log = Logger(level: config.log.level)
        // A freed large buffer (a 1 MB record's line, text, statement copy) goes back to the kernel at
        // once; with glibc's rising threshold later ones stay in the heap of the thread that freed them
        // (RSS, docs/spool.md's 64 MiB).
        _ = dialogd_fix_mmap_threshold(256 * 1024)
        do {
            let daemon = try Daemon(config: config, source: source, log: log, environment: environment)
            return try daemon.run()
        } catch {
            log.error("dialogd cannot run: \(error)")
            return 1
        }
    }

    private static func usageError(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("dialogd: \(message)\n\(usage)\n".utf8))
        return 64
    }
}

/// The effective configuration as `--check-config` prints it: every key the reader knows
/// (`DialogConfig.effectiveINI`), INI-shaped so it can be pasted back.
enum ConfigSummary {
    static func text(_ c: DialogConfig, source: ConfigSource) -> String {
        let origin: String
        switch source {
        case .file(let path): origin = path
        case .checkout(let root): origin = "built-in defaults for a checkout at \(root)"
        }
        return "# configuration OK (\(origin))\n" + c.effectiveINI
    }
}
