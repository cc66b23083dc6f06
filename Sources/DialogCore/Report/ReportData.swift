/// Everything the manager's page shows, as the daemon answered it: the renderer only lays it
/// out and formats it, so every figure on the page is one of these (and `pyramid --json`'s).
public struct ReportData: Sendable {
    /// One point of the trend chart: a period of the report window's length, or a calendar
    /// month (`key` as `roi --by month` names it) for the window `all`.
    public struct Period: Sendable, Equatable {
        public var span: TimeSpan?
        public var key: String?
        public var figures: RoiFigures
        public init(span: TimeSpan, figures: RoiFigures) { self.span = span; self.key = nil; self.figures = figures }
        public init(key: String, figures: RoiFigures) { self.span = nil; self.key = key; self.figures = figures }
    }

    /// How much of the labelling the model did (the daemon's `labels` command); against a
    /// daemon without it `modelClassified` is nil and the page says what still awaits review.
    public struct Classification: Sendable, Equatable {
        public var conversations: Int64
        public var awaitingReview: Int64
        /// Records whose department or outcome came from the learned model; nil: not reported.
        public var modelClassified: Int64?
        /// Records labelled by a rule ("magnet"); nil: not reported.
        public var ruleClassified: Int64?

        public init(conversations: Int64, awaitingReview: Int64, modelClassified: Int64? = nil, ruleClassified: Int64? = nil) {
            self.conversations = conversations; self.awaitingReview = awaitingReview
            self.modelClassified = modelClassified; self.ruleClassified = ruleClassified
        }
    }

    public var language: DisplayLanguage
    public var currency: String
    /// Unix seconds the data was fetched.
    public var generatedAt: Int64
    /// `30d`, `90d`, … or a description of explicit bounds.
    public var windowName: String
    /// Filters the figures are restricted to, name → value (empty: everything).
    public var filters: [String: String]
    public var pyramid: Pyramid
    /// Oldest first; the last one is the report window itself.
    public var periods: [Period]
    /// How the periods were queried, for the notes (e.g. `roi --since … --until …`, 12 times).
    public var periodSource: String
    public var outcomes: [RoiRow]
    public var channels: [RoiRow]
    /// `roi --by channel_group` over the window: social against direct (issue 18).
    public var channelGroups: [RoiRow]
    /// The channels with conversations in each group, for the first section's sentence.
    public var groupChannels: [String: [String]]
    public var classification: Classification
    /// The daemon's figures were built with other rates than its config (`recompute` pending).
    public var valuationStale: Bool
    /// The rates the figures rest on, for the notes; empty when unknown.
    public var rates: [String]

    public init(language: DisplayLanguage, currency: String, generatedAt: Int64, windowName: String, filters: [String: String] = [:],
                pyramid: Pyramid, periods: [Period], periodSource: String, outcomes: [RoiRow], channels: [RoiRow],
                channelGroups: [RoiRow] = [], groupChannels: [String: [String]] = [:],
                classification: Classification, valuationStale: Bool = false, rates: [String] = []) {
        self.language = language; self.currency = currency; self.generatedAt = generatedAt; self.windowName = windowName
        self.filters = filters; self.pyramid = pyramid; self.periods = periods; self.periodSource = periodSource
        self.outcomes = outcomes; self.channels = channels; self.classification = classification
        self.channelGroups = channelGroups; self.groupChannels = groupChannels
        self.valuationStale = valuationStale; self.rates = rates
    }

    /// The rates behind the figures, as the notes list them (from the config dialogctl read).
    public static func rateNotes(_ v: ValuationConfig, currency: String, language: DisplayLanguage) -> [String] {
        let money = { (c: Int64) in MoneyText.format(c, currency: currency, language: language) }
        let perHour = language == .de ? "/Std." : "/h"
        let departments = v.departments.sorted { $0.key < $1.key }
            .map { ReportText(language: language).label($0.key) + " " + money($0.value.hourlyCostCents) + perHour }
        let fixed = money(v.costPerConversationCents) + (language == .de ? " je Gespräch" : " per conversation")
        let contact = (language == .de ? "Callcenter-Kontakt " : "call-centre contact ") + money(v.callCenterContactCostCents)
        var notes = [(language == .de ? "Stundensätze: " : "Hourly rates: ") + departments.joined(separator: ", ") + "; " + fixed + "; " + contact]
        let likely = v.outcomes.filter { $0.value.probabilityBasisPoints != 10_000 }.sorted { $0.key < $1.key }
            .map { ReportText(language: language).label($0.key) + " " + MoneyText.percent(Double($0.value.probabilityBasisPoints) / 10_000, language) }
        if !likely.isEmpty {
            notes.append((language == .de ? "Wahrscheinlichkeiten: " : "Probabilities: ") + likely.joined(separator: ", ")
                         + (language == .de ? " (alle übrigen Ergebnisse 100 %)" : " (every other outcome 100 %)"))
        }
        return notes
    }

    /// `periods` from the first one with a conversation on (the last one stays when none has
    /// any), so a trend does not open with years of empty periods before the data began.
    public static func fromFirstData(_ periods: [Period]) -> [Period] {
        guard let first = periods.firstIndex(where: { $0.figures.conversations > 0 }) else { return Array(periods.suffix(1)) }
        return Array(periods[first...])
    }

    /// The spans of `count` periods of `window`'s length ending with it, oldest first.
    public static func periodSpans(endingWith window: TimeSpan, count: Int) -> [TimeSpan] {
        let length = window.until - window.since
        guard length > 0, count > 0 else { return [] }
        return (0..<Int64(count)).reversed().map { k in
            TimeSpan(since: window.since - k * length, until: window.until - k * length)
        }
    }
}
