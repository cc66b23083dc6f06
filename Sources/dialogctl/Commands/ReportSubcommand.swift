#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
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
                    Terminal.note("cannot delete \(outDirectory)/\(name): \(String(cString: strerror(errno)))")
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
            throw SessionError(message: "cannot create \(path): \(String(cString: strerror(errno)))", exitCode: 1)
        }
    }
}

/// The report's queries: the pyramid first, then every other query with its exact window
/// (`since`/`until`), so an hour turning over between requests cannot shift any figure.
struct ReportFetch {
    let session: Session
    let options: RoiOptions
    /// `--lang`; without it the daemon's `[display] language`.
    let requestedLanguage: DisplayLanguage?
    let now: Int64
    /// `--by site`: the pyramid also gives the figures per site (asked of the pyramid only).
    var bySite = false

    init(session: Session, options: RoiOptions, language: DisplayLanguage?, now: Int64) {
        self.session = session; self.options = options; self.requestedLanguage = language; self.now = now
    }

    func fetch() throws(SessionError) -> ReportData {
        var pyramidArgs = options.args
        if bySite { pyramidArgs["by"] = .string("site") }
        let answer = try session.decode(InCurrency<Pyramid>.self, ControlRequest(command: "pyramid", args: pyramidArgs))
        let pyramid = answer.value
        let language = requestedLanguage ?? answer.language ?? .en
        var filters = options.args
        for key in ["window", "since", "until"] { filters[key] = nil }
        func roi(_ span: TimeSpan, by: String?) throws(SessionError) -> RoiReport {
            var args = filters
            args["since"] = .integer(span.since)
            args["until"] = .integer(span.until)
            if let by { args["by"] = .string(by) }
            return try session.decode(InCurrency<RoiReport>.self, ControlRequest(command: "roi", args: args)).value
        }
        let isAll = options.args["since"] == nil && options.args["until"] == nil && options.args["window"] == .string("all")
        var periods: [ReportData.Period] = []
        let periodSource: String
        if isAll {
            let months = pyramid.window.until > pyramid.window.since ? try roi(pyramid.window, by: "month").rows.suffix(ReportSubcommand.periodCount) : []
            periods = months.map { ReportData.Period(key: $0.key, figures: $0.figures) }
            periodSource = "roi --by month " + spanArguments(pyramid.window)
        } else {
            for span in ReportData.periodSpans(endingWith: pyramid.window, count: ReportSubcommand.periodCount) {
                periods.append(ReportData.Period(span: span, figures: try roi(span, by: nil).total))
            }
            periods = ReportData.fromFirstData(periods)
            let hours = (pyramid.window.until - pyramid.window.since) / 3600
            periodSource = "\(periods.count) × roi --since … --until … (" + (hours % 24 == 0 ? "\(hours / 24)d" : "\(hours)h") + ")"
        }
        let outcomes = try roi(pyramid.window, by: "outcome").rows
        let channels = try roi(pyramid.window, by: "channel").rows
        let groups = try roi(pyramid.window, by: "channel_group").rows
        var groupChannels: [String: [String]] = [:]
        for group in groups where ["social", "direct"].contains(group.key) {
            var args = filters
            args["channel_group"] = .string(group.key)
            args["since"] = .integer(pyramid.window.since)
            args["until"] = .integer(pyramid.window.until)
            args["by"] = .string("channel")
            let rows = try session.decode(InCurrency<RoiReport>.self, ControlRequest(command: "roi", args: args)).value.rows
            groupChannels[group.key] = rows.sorted { $0.figures.conversations > $1.figures.conversations }.map(\.key)
        }
        let status = try session.call(ControlRequest(command: "status"))
        let stale = ExportFormat.fields(status)?["valuation_stale"] == .bool(true)
        return ReportData(
            language: language, currency: answer.currency, generatedAt: now, windowName: windowName(pyramid.window),
            filters: filters.mapValues(\.description), pyramid: pyramid, periods: periods, periodSource: periodSource,
            outcomes: outcomes, channels: channels, channelGroups: groups, groupChannels: groupChannels,
            classification: classification(pyramid, filters: filters),
            valuationStale: stale, rates: rates(answer.currency, language))
    }

    /// What awaits review (from the pyramid) and, from `labels` over the same window and
    /// filters, how many conversations got their department or outcome from the model or a
    /// rule. A daemon without `labels` (older than the classifier) leaves those shares out.
    func classification(_ pyramid: Pyramid, filters: [String: ArgumentValue]) -> ReportData.Classification {
        var c = ReportData.Classification(conversations: pyramid.executive.figures.conversations,
                                          awaitingReview: pyramid.practitioners.awaitingReview)
        var args = filters
        args["since"] = .integer(pyramid.window.since)
        args["until"] = .integer(pyramid.window.until)
        if let reply = try? session.call(ControlRequest(command: "labels", args: args)),
           let labels = try? WireCoding.decoder().decode(LabelSourcesResult.self, from: Data(reply.serialized.utf8)) {
            c.modelClassified = labels.counts.valueLabelsByModel
            c.ruleClassified = labels.counts.valueLabelsByRule
        }
        return c
    }

    /// The rates, when `--config` names the daemon's configuration.
    func rates(_ currency: String, _ language: DisplayLanguage) -> [String] {
        guard let path = session.configPath, let data = FileManager.default.contents(atPath: path),
              let config = try? DialogConfig.parse(String(decoding: data, as: UTF8.self), layout: .system) else { return [] }
        return ReportData.rateNotes(config.valuation, currency: currency, language: language)
    }

    func windowName(_ span: TimeSpan) -> String {
        if case .string(let name)? = options.args["window"] { return name }
        if options.args["since"] == nil, options.args["until"] == nil { return "30d" }
        return "--since/--until"
    }

    func spanArguments(_ span: TimeSpan) -> String { "--since \(span.since) --until \(span.until)" }
}
