/// The three stored labels of one record, each with source and confidence (what the store's
/// `*_final`, `*_source` and `*_confidence` columns hold). A nil decision means "no label and
/// no source" (e.g. a record stored before classification existed).
public struct RecordLabels: Sendable, Equatable, Codable {
    public var department: LabelDecision?
    public var outcome: LabelDecision?
    public var sentiment: LabelDecision?

    public init(department: LabelDecision? = nil, outcome: LabelDecision? = nil, sentiment: LabelDecision? = nil) {
        self.department = department
        self.outcome = outcome
        self.sentiment = sentiment
    }

    public subscript(_ dimension: Dimension) -> LabelDecision? {
        get {
            switch dimension {
            case .department: department
            case .outcome: outcome
            case .sentiment: sentiment
            }
        }
        set {
            switch dimension {
            case .department: department = newValue
            case .outcome: outcome = newValue
            case .sentiment: sentiment = newValue
            }
        }
    }

    /// `record` with its final labels in place of the logged ones: what it is priced and
    /// aggregated as.
    public func applied(to record: ConversationRecord) -> ConversationRecord {
        var r = record
        if let department { r.department = department.finalLabel }
        if let outcome { r.outcome = outcome.finalLabel }
        if let sentiment { r.sentiment = sentiment.finalLabel }
        return r
    }
}

extension Classifier {
    /// The labels of a record being ingested: logged fields win; a logged outcome that
    /// belongs to one department settles the department too (as the valuation counts it);
    /// the rest is classified. Tokens are not named (that is for `classify`).
    public func labels(for record: ConversationRecord, document: Document, outcomeDepartments: [String: String]) -> RecordLabels {
        // Straight into the three fields: no dictionary of explicit labels or of decisions, and
        // the rule text (subject + text) joined only if a rule reads it (issue 17).
        func logged(_ label: String) -> LabelDecision { LabelDecision(label: label, confidence: 1, source: .logged) }
        var text: String?
        func ruleText() -> String {
            if let text { return text }
            let joined = Self.text(of: record)
            text = joined
            return joined
        }
        var labels = RecordLabels()
        // A logged value outside the vocabulary is not guessed over (not by the outcome's
        // department either): it stays unassigned, as logged, and waits in `review` with its text.
        if let d = record.department {
            labels.department = logged(d)
        } else if record.unmatchedDepartment != nil {
            labels.department = logged(LabelDecision.unclassified)
        } else if let o = record.outcome, let d = outcomeDepartments[o] {
            labels.department = logged(d)
        } else {
            labels.department = decide(.department, document, text: ruleText)
        }
        if let o = record.outcome {
            labels.outcome = logged(o)
        } else if record.unmatchedOutcome != nil {
            labels.outcome = logged(LabelDecision.unclassified)
        } else {
            labels.outcome = decide(.outcome, document, text: ruleText)
        }
        labels.sentiment = record.sentiment.map(logged) ?? decide(.sentiment, document, text: ruleText)
        return labels
    }

    /// Learns every label the record logged itself (not the department its outcome implies).
    public mutating func learn(from record: ConversationRecord, document: Document) {
        if let d = record.department { learn(document, dimension: .department, label: d) }
        if let o = record.outcome { learn(document, dimension: .outcome, label: o) }
        if let s = record.sentiment { learn(document, dimension: .sentiment, label: s) }
    }

    /// Subject and text, as rule patterns see them.
    public static func text(of record: ConversationRecord) -> String {
        switch (record.subject, record.text) {
        case let (s?, t?): s + "\n" + t
        case let (s?, nil): s
        case let (nil, t?): t
        case (nil, nil): ""
        }
    }
}
