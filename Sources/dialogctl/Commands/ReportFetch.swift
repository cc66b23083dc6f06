import DialogCore
import Foundation

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
        let answer = try session.call(ControlRequest(command: "pyramid", args: pyramidArgs), as: InCurrency<Pyramid>.self)
        let pyramid = answer.value
        let language = requestedLanguage ?? answer.language ?? .en
        var filters = options.args
        for key in ["window", "since", "until"] { filters[key] = nil }
        func roi(_ span: TimeSpan, by: String?) throws(SessionError) -> RoiReport {
            var args = filters
            args["since"] = .integer(span.since)
            args["until"] = .integer(span.until)
            if let by { args["by"] = .string(by) }
            return try session.call(ControlRequest(command: "roi", args: args), as: InCurrency<RoiReport>.self).value
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
            let rows = try session.call(ControlRequest(command: "roi", args: args), as: InCurrency<RoiReport>.self).value.rows
            groupChannels[group.key] = rows.sorted { $0.figures.conversations > $1.figures.conversations }.map(\.key)
        }
        let stale = try session.call(ControlRequest(command: "status"), as: StatusResult.self).valuationStale
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
        if let labels = try? session.call(ControlRequest(command: "labels", args: args), as: LabelSourcesResult.self) {
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
