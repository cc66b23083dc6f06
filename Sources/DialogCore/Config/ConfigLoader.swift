import Foundation

/// A mistake in the configuration file, pointing at the line and key.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var key: String?
    public var message: String

    public init(file: String? = nil, line: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let line { parts.append("line \(line)") }
        if let key { parts.append(key) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

extension DialogConfig {
    /// Reads an INI text over the defaults of `layout`. Unknown sections and keys are errors:
    /// a typo must not silently leave a default in force.
    public static func parse(_ text: String, layout: Layout = .system) throws(ConfigError) -> DialogConfig {
        let ini: IniFile
        do { ini = try IniFile(text: text) } catch { throw ConfigError(line: error.line, message: error.message) }
        var config = DialogConfig(layout: layout)
        for entry in ini.entries {
            let name = entry.section + "." + entry.key
            if let (kind, entity) = ValuationKeys.split(entry.section) {
                do { try ValuationKeys.set(&config, kind: kind, name: entity, key: entry.key, value: entry.value) } catch {
                    throw ConfigError(line: entry.line, key: name, message: error.message)
                }
                continue
            }
            if let magnet = MagnetKeys.split(entry.section) {
                do { try MagnetKeys.set(&config, name: magnet, key: entry.key, value: entry.value) } catch {
                    throw ConfigError(line: entry.line, key: name, message: error.message)
                }
                continue
            }
            guard let setter = ConfigKeys.setters[name] else {
                let known = ConfigKeys.setters.keys.filter { $0.hasPrefix(entry.section + ".") }.sorted()
                let hint = known.isEmpty
                    ? "unknown section [\(entry.section)]"
                    : "unknown key; [\(entry.section)] knows " + known.map { String($0.dropFirst(entry.section.count + 1)) }.joined(separator: ", ")
                throw ConfigError(line: entry.line, key: name, message: hint)
            }
            do { try setter(&config, entry.value) } catch {
                throw ConfigError(line: entry.line, key: name, message: error.message)
            }
        }
        for section in ini.sections {
            if let (kind, entity) = ValuationKeys.split(section) {
                // An empty named section still declares the entity.
                do { try ValuationKeys.ensure(&config, kind: kind, name: entity) } catch {
                    throw ConfigError(key: "[\(section)]", message: error.message)
                }
            } else if let magnet = MagnetKeys.split(section) {
                do { try MagnetKeys.ensure(&config, name: magnet) } catch {
                    throw ConfigError(key: "[\(section)]", message: error.message)
                }
            } else if !ConfigKeys.setters.keys.contains(where: { $0.hasPrefix(section + ".") }) {
                throw ConfigError(key: "[\(section)]", message: "unknown section")
            }
        }
        try ValuationKeys.validate(config)
        try MagnetKeys.validate(config)
        try ValuationKeys.mapMagnetLabels(&config)
        return config
    }
}
