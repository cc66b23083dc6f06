import DialogCore
import Foundation
import Testing

@Suite("Configuration")
struct ConfigTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test("the shipped config/dialogd.conf states exactly the built-in defaults")
    func shippedConfigMatchesDefaults() throws {
        let text = try String(contentsOfFile: Self.packageRoot + "/config/dialogd.conf", encoding: .utf8)
        #expect(try DialogConfig.parse(text) == DialogConfig(layout: .system))
    }

    @Test("an empty file gives the FHS defaults of docs/design.md")
    func emptyFileDefaults() throws {
        let config = try DialogConfig.parse("")
        #expect(config.spool.dir == "/var/spool/dialogd")
        #expect(config.store.path == "/var/lib/dialogd/dialogd.db")
        #expect(config.socket.path == "/run/dialogd/dialogd.sock")
        #expect(config.spool.maxFileBytes == 4 * 1024 * 1024)
    }

    @Test("a checkout keeps every path under ./var")
    func checkoutLayout() {
        let config = DialogConfig(layout: .checkout(root: "/src/dialogd"))
        #expect(config.spool.dir == "/src/dialogd/var/spool")
        #expect(config.store.path == "/src/dialogd/var/lib/dialogd.db")
        #expect(config.socket.path == "/src/dialogd/var/run/dialogd.sock")
    }

    @Test("values are parsed and validated")
    func values() throws {
        let config = try DialogConfig.parse("""
            # comment
            [spool]
            dir = /srv/spool
            max_file_bytes = 512K
            archive_days = 0
            [socket]
            mode = 0600
            [records]
            timezone = America/New_York
            currency = usd
            [log]
            level = debug
            [display]
            language = DE
            """)
        #expect(config.spool.dir == "/srv/spool")
        #expect(config.spool.maxFileBytes == 512 * 1024)
        #expect(config.spool.archiveDays == 0)
        #expect(config.socket.mode == 0o600)
        #expect(config.records.currency == "USD")
        #expect(config.timeZone.identifier == "America/New_York")
        #expect(config.log.level == .debug)
        #expect(config.display.language == .de)
    }

    @Test(
        "mistakes name the line and key",
        arguments: [
            ("[spool]\ndirr = /x", 2, "spool.dirr", "unknown key"),
            ("[spoool]\ndir = /x", 2, "spoool.dir", "unknown section"),
            ("[spool]\nmax_file_bytes = lots", 2, "spool.max_file_bytes", "expected a size"),
            ("[spool]\nrescan_seconds = 0", 2, "spool.rescan_seconds", "from 1"),
            ("[records]\ntimezone = Mars/Olympus", 2, "records.timezone", "zone name"),
            ("[records]\ncurrency = euro", 2, "records.currency", "ISO 4217"),
            ("[socket]\nmode = 0999", 2, "socket.mode", "octal"),
            ("[log]\nlevel = loud", 2, "log.level", "expected error"),
            ("[display]\nlanguage = fr", 2, "display.language", "expected en or de"),
            ("[spool]\ndir = /a\ndir = /b", 3, nil, "set twice"),
            ("dir = /a", 1, nil, "before any [section]"),
            ("[spool]\njust words", 2, nil, "key = value"),
        ] as [(String, Int, String?, String)]
    )
    func mistakes(text: String, line: Int, key: String?, words: String) {
        #expect {
            try DialogConfig.parse(text)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.line == line && error.key == key && error.description.contains(words)
        }
    }

    @Test("INI files tolerate a BOM, comments, quotes and blank lines")
    func iniSyntax() throws {
        let ini = try IniFile(text: "\u{FEFF}; c\n\n[a]\nk = \"  spaced  \"\n# x\nn=1\n")
        #expect(ini.entries.map(\.value) == ["  spaced  ", "1"])
        #expect(ini.entries.map(\.line) == [4, 6])
    }
}
