#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogSystem
import Foundation

/// `report`: the manager's one-page HTML report, from the daemon's `pyramid` and `roi`
/// answers over one fixed window, rendered by `ReportRenderer` and written atomically.
struct ReportSubcommand: DirectSubcommand {
    static let name = "report"
    static let abstract = "Write the manager's one-page HTML report (ROI pyramid, trend, departments, channels)."
    static let usage = "dialogctl report [--window <span> | --since <time> [--until <time>]] [filters] [--by site] [--lang de|en] (--out <file> | --out-dir <dir> [--keep <n>])"
    static let options = RoiOptions.help + "\n" + """
          --by site               Add value against cost per site (a central daemon, README "Many sites").
          --lang <de|en>          Language of texts, numbers and money. (default: the daemon's
                                  [display] language)
          --out <file>            Write the page here (atomically; - for standard output).
          --out-dir <dir>         Write <dir>/report-YYYY-MM-DD.html (UTC date) instead; a missing
                                  <dir> is created (mode 0750, parents as mkdir -p).
          --keep <n>              With --out-dir: keep the newest n dated reports, delete older ones.
        """
    static let periodCount = 12

    private var roi: RoiOptions
    private var language: DisplayLanguage?
    private var out: String?
    private var outDirectory: String?
    private var keep: Int?
    private var bySite = false

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        var language: DisplayLanguage?, out: String?, outDirectory: String?, keep: Int?, bySite = false
        roi = try RoiOptions.parse(&arguments) { name, inline, arguments throws(UsageError) in
            switch name {
            case "--lang":
                let value = try arguments.value(of: name, inline: inline)
                guard let parsed = DisplayLanguage(rawValue: value.lowercased()) else { throw arguments.error("--lang '\(value)' must be de or en") }
                language = parsed
            case "--out", "--out-dir":
                let value = try arguments.value(of: name, inline: inline)
                guard !value.isEmpty else { throw arguments.error("\(name) must not be empty") }
                if name == "--out" { out = value } else { outDirectory = value }
            case "--by":
                let value = try arguments.value(of: name, inline: inline)
                guard value.lowercased() == "site" else { throw arguments.error("--by '\(value)' must be site") }
                bySite = true
            case "--keep":
                keep = try ArgumentValues.integer(try arguments.value(of: name, inline: inline), option: name, in: 1...10_000, cursor: arguments)
            default: return false
            }
            return true
        }
        guard (out == nil) != (outDirectory == nil) else { throw arguments.error("give either --out <file> or --out-dir <dir>") }
        if keep != nil, outDirectory == nil { throw arguments.error("--keep needs --out-dir") }
        self.language = language; self.out = out; self.outDirectory = outDirectory; self.keep = keep; self.bySite = bySite
    }

    func run(_ session: Session) -> Int32 {
        let lang = language
        do throws(SessionError) {
            let now = Int64(Date().timeIntervalSince1970)
            var fetch = ReportFetch(session: session, options: roi, language: lang, now: now)
            fetch.bySite = bySite
            let data = try fetch.fetch()
            let html = ReportRenderer.render(data)
            if let out, out == "-" {
                Terminal.machineOutput(html)
                return 0
            }
            if let outDirectory { try Self.makeDirectory(outDirectory) }
            let target = out ?? (outDirectory! + "/" + ReportArchive.fileName(at: now))
            let file = try AtomicFile(target, mode: 0o640)
            try file.write(html)
            try file.commit()
            var message = "wrote \(target)"
            if let outDirectory, let keep {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: outDirectory)) ?? []
                let expired = ReportArchive.expired(names, keep: keep)
                for name in expired where unlink(outDirectory + "/" + name) != 0 {
                    Terminal.note("cannot delete \(outDirectory)/\(name): \(SystemError.reason(errno))")
                }
                if !expired.isEmpty { message += "; deleted \(expired.count) older report\(expired.count == 1 ? "" : "s")" }
            }
            Terminal.note(message)
            return 0
        } catch {
            return Session.fail(error)
        }
    }
}

extension ReportSubcommand {
    /// `--out-dir` as `mkdir -p -m 0750` makes it: missing parents with the umask's mode, the
    /// directory itself 0750 (reports carry money figures: not for every local user).
    static func makeDirectory(_ path: String) throws(SessionError) {
        var existing = stat()
        if stat(path, &existing) == 0 {
            guard existing.st_mode & S_IFMT == S_IFDIR else { throw SessionError(message: "--out-dir \(path) is not a directory", exitCode: 1) }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path {
            do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
                throw SessionError(message: "cannot create \(parent): \(error.localizedDescription)", exitCode: 1)
            }
        }
        if mkdir(path, 0o750) == 0 {
            chmod(path, 0o750)  // the umask may have taken bits; 0750 is what was asked for
        } else if errno != EEXIST {
            throw SessionError(message: "cannot create \(path): \(SystemError.reason(errno))", exitCode: 1)
        }
    }
}
