import DialogCore
import Foundation

/// Where the configuration comes from, so SIGHUP can read it again the same way.
public enum ConfigSource: Sendable, Equatable {
    /// `--config PATH`: the file's values over the FHS defaults.
    case file(String)
    /// No file: built-in defaults with all state under `./var` of the working directory.
    case checkout(root: String)

    public func load() throws(ConfigError) -> DialogConfig {
        switch self {
        case .checkout(let root):
            return DialogConfig(layout: .checkout(root: root))
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                let why = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
                throw ConfigError(file: path, message: "cannot be read: \(why)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ConfigError(file: path, message: "is not UTF-8 text")
            }
            var config: DialogConfig
            do { config = try DialogConfig.parse(text, layout: .system) } catch {
                var located = error
                located.file = path
                throw located
            }
            if let roster = config.roster.path { config.roster.table = try RosterFile.load(roster) }
            return config
        }
    }
}
