@testable import DialogCore
import Foundation
import Testing

/// The man pages in docs/man are hand-written; these checks keep them from drifting from the
/// code: every dialogctl subcommand and every configuration key must be documented, and
/// nothing documented may be gone.
@Suite("man pages")
struct ManPageTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func page(_ name: String) throws -> [String] {
        try String(contentsOfFile: packageRoot + "/docs/man/" + name, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// `.SS` headings between `.SH title` and the next `.SH`, without quotes.
    static func subsections(_ lines: [String], under title: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        var inSection = false
        var current: String?
        for line in lines {
            if line.hasPrefix(".SH ") {
                inSection = line.dropFirst(4).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\""]) == title
                current = nil
            } else if inSection, line.hasPrefix(".SS ") {
                let heading = line.dropFirst(4).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\""])
                current = heading
                result[heading] = []
            } else if let current {
                result[current]?.append(line)
            }
        }
        return result
    }

    /// Keys a section documents: `.B key` lines right after `.TP`.
    static func documentedKeys(_ body: [String]) -> Set<String> {
        var keys: Set<String> = []
        for (i, line) in body.enumerated() where line == ".TP" && i + 1 < body.count && body[i + 1].hasPrefix(".B ") {
            keys.insert(String(body[i + 1].dropFirst(3)).trimmingCharacters(in: .whitespaces))
        }
        return keys
    }

    /// The subcommand names `dialogctl --help` lists (the real binary, so the list is
    /// exactly `Dialogctl.subcommands`).
    static func dialogctlSubcommands() throws -> [String] {
        let help = try runDialogctl(["--help"])
        #expect(help.status == 0)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: "SUBCOMMANDS:") else { return [] }
        return lines[(start + 1)...].prefix { !$0.isEmpty }.compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    @Test("every dialogctl subcommand has its own .SS in dialogctl.1, and every .SS is a subcommand")
    func dialogctlPageCoversSubcommands() throws {
        let commands = try Self.dialogctlSubcommands()
        #expect(commands.count >= 13, "could not read the subcommand list from dialogctl --help")
        let documented = Set(Self.subsections(try Self.page("dialogctl.1"), under: "SUBCOMMANDS").keys)
        let missing = commands.filter { !documented.contains($0) }
        #expect(missing.isEmpty, "dialogctl.1 lacks a .SS for: \(missing.joined(separator: ", "))")
        let stale = documented.subtracting(commands).sorted()
        #expect(stale.isEmpty, "dialogctl.1 documents subcommands dialogctl does not have: \(stale.joined(separator: ", "))")
    }

    @Test("every configuration key the loader knows is in dialogd.conf.5, and nothing else")
    func configPageCoversKeys() throws {
        let sections = Self.subsections(try Self.page("dialogd.conf.5"), under: "OPTIONS")
        var expected: [String: Set<String>] = [:]
        for name in ConfigKeys.setters.keys {
            let dot = name.firstIndex(of: ".")!
            expected["[" + name[..<dot] + "]", default: []].insert(String(name[name.index(after: dot)...]))
        }
        for (kind, keys) in ValuationKeys.keys { expected["[\(kind).NAME]"] = Set(keys) }
        expected["[magnet.NAME]"] = Set(MagnetKeys.keys)
        #expect(Set(ValuationKeys.keys.keys) == Set(ValuationKeys.kinds))

        for (section, keys) in expected.sorted(by: { $0.key < $1.key }) {
            guard let body = sections[section] else {
                Issue.record("dialogd.conf.5 has no .SS \"\(section)\"")
                continue
            }
            let documented = Self.documentedKeys(body)
            let missing = keys.subtracting(documented).sorted()
            #expect(missing.isEmpty, "dialogd.conf.5 \(section) lacks: \(missing.joined(separator: ", "))")
            let stale = documented.subtracting(keys).sorted()
            #expect(stale.isEmpty, "dialogd.conf.5 \(section) documents unknown keys: \(stale.joined(separator: ", "))")
        }
        let extraSections = Set(sections.keys).subtracting(expected.keys).sorted()
        #expect(extraSections.isEmpty, "dialogd.conf.5 documents unknown sections: \(extraSections.joined(separator: ", "))")
    }

    @Test("the man pages the units name in Documentation= exist in docs/man")
    func unitDocumentationExists() throws {
        let units = try FileManager.default.contentsOfDirectory(atPath: Self.packageRoot + "/systemd")
        var named: [String] = []
        for unit in units where unit.hasSuffix(".service") || unit.hasSuffix(".socket") || unit.hasSuffix(".timer") {
            let text = try String(contentsOfFile: Self.packageRoot + "/systemd/" + unit, encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("Documentation=") {
                for reference in line.dropFirst("Documentation=".count).split(separator: " ") where reference.hasPrefix("man:") {
                    // man:dialogd(8) → dialogd.8
                    let inner = reference.dropFirst(4)
                    guard let open = inner.firstIndex(of: "("), inner.hasSuffix(")") else { continue }
                    named.append(inner[..<open] + "." + inner[inner.index(after: open)..<inner.index(before: inner.endIndex)])
                }
            }
        }
        #expect(named.contains("dialogd.8"), "dialogd.service should name man:dialogd(8)")
        for page in named {
            #expect(FileManager.default.fileExists(atPath: Self.packageRoot + "/docs/man/" + page), "a unit names \(page), which docs/man lacks")
        }
    }

    /// The arguments of a man macro line, split on blanks; a quoted argument keeps its blanks.
    static func macroArguments(_ line: Substring) -> [String] {
        var arguments: [String] = []
        var current = ""
        var quoted = false
        for scalar in line.unicodeScalars {
            if scalar == "\"" {
                quoted.toggle()
            } else if scalar == " " && !quoted {
                if !current.isEmpty { arguments.append(current) }
                current = ""
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { arguments.append(current) }
        return arguments
    }

    /// `.BR forget . The daemon` renders "forget.Thedaemon": the alternating-font macros join
    /// their arguments without blanks, so text after a punctuation argument is glued together.
    @Test("no alternating-font macro glues a sentence onto its punctuation")
    func alternatingFontsDoNotGlueSentences() throws {
        let macros: Set<String> = [".BR", ".RB", ".IR", ".RI", ".BI", ".IB"]
        var glued: [String] = []
        for name in ["dialogctl.1", "dialogd.8", "dialogd.conf.5"] {
            for (number, line) in try Self.page(name).enumerated() {
                let parts = line.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, macros.contains(String(parts[0])) else { continue }
                let arguments = Self.macroArguments(parts[1])
                let punctuation = CharacterSet(charactersIn: ".,;:!?")
                for (i, argument) in arguments.enumerated().dropLast()
                where argument.unicodeScalars.allSatisfy(punctuation.contains)
                    && arguments[i + 1].unicodeScalars.first.map(CharacterSet.letters.contains) == true {
                    glued.append("\(name):\(number + 1): \(line)")
                }
            }
        }
        #expect(glued.isEmpty, "text glued onto punctuation:\n\(glued.joined(separator: "\n"))")
    }
}
