/// A record as the ROI figures count it: its final labels applied and priced. The pipeline
/// (`RecordLabeler`) makes it; the store only writes it (docs/design.md "data flow").
public struct CountedRecord: Sendable, Equatable {
    /// As the writer gave it (stored in the content columns).
    public var record: ConversationRecord
    /// The final labels and where they came from (docs/classification.md).
    public var labels: RecordLabels
    /// `record` with `labels` applied: what the aggregates count.
    public var counted: ConversationRecord { didSet { sums = RoiSums(record: counted, priced: priced) } }
    public var priced: PricedConversation { didSet { sums = RoiSums(record: counted, priced: priced) } }
    /// What it adds to its aggregate bucket (`RoiSums(record: counted, priced: priced)`, kept so
    /// as either changes): summed where it is made, on a prepare thread during a flood, not on the loop (issue 17).
    public private(set) var sums: RoiSums

    /// `labels` nil: the logged fields count, as `logged`. A copy another site shipped with its
    /// figures counts its site's labels and prices (`keepingShipped`, `[site] shipped_figures = kept`).
    public init(_ record: ConversationRecord, labels: RecordLabels?, valuation: Valuation, keepingShipped: Bool = true) {
        self.record = record
        if keepingShipped, let shipped = record.shipped, let given = shipped.priced {
            self.labels = shipped.labels
            counted = shipped.labels.applied(to: record)
            priced = given
            sums = RoiSums(record: counted, priced: priced)
            return
        }
        self.labels = labels ?? RecordLabels.logged(record)
        counted = self.labels.applied(to: record)
        priced = valuation.price(counted)
        sums = RoiSums(record: counted, priced: priced)
    }
}

extension RecordLabels {
    /// The labels of a record stored without classification: what it logged, as `logged`.
    public static func logged(_ record: ConversationRecord) -> RecordLabels {
        func logged(_ label: String?, unmatched: String? = nil) -> LabelDecision? {
            // A value outside the vocabulary was logged too: unassigned, as logged (issue 18).
            (label ?? unmatched.map { _ in LabelDecision.unclassified }).map { LabelDecision(label: $0, confidence: 1, source: .logged) }
        }
        return RecordLabels(department: logged(record.department, unmatched: record.unmatchedDepartment),
                            outcome: logged(record.outcome, unmatched: record.unmatchedOutcome), sentiment: logged(record.sentiment))
    }
}

extension Valuation {
    /// A person's review of a counted record: `changes` replace its final labels; the value it
    /// logged stays, a default value follows the new outcome.
    public func relabeled(_ before: ConversationRecord, counted old: PricedConversation,
                          to changes: [Dimension: String]) -> (record: ConversationRecord, priced: PricedConversation) {
        var after = before
        after.department = changes[.department] ?? old.department
        after.outcome = changes[.outcome] ?? old.outcome
        if let s = changes[.sentiment] { after.sentiment = s }
        return (after, price(after))
    }
}

/// What `recompute` reads of one stored row: its labels as written (or as a rule, the model or
/// a reviewer decided them) and the fields its price depends on.
public struct StoredForPricing: Sendable {
    public var date: Int64
    public var employee: String
    /// As written (`raw_channel` when kept, else `channel`).
    public var channel: String
    public var department: String?
    public var outcome: String?
    public var durationSeconds: Int64?
    public var valueCents: Int64?
    /// Labels a rule, the model or a reviewer gave: they count as the record's own.
    public var decidedDepartment: String??
    public var decidedOutcome: String??

    public init(date: Int64, employee: String, channel: String, department: String?, outcome: String?, durationSeconds: Int64?,
                valueCents: Int64?, decidedDepartment: String??, decidedOutcome: String??) {
        (self.date, self.employee, self.channel, self.department, self.outcome) = (date, employee, channel, department, outcome)
        (self.durationSeconds, self.valueCents) = (durationSeconds, valueCents)
        (self.decidedDepartment, self.decidedOutcome) = (decidedDepartment, decidedOutcome)
    }
}

/// One stored row priced again: its labels mapped through today's vocabulary, and its price.
public struct RepricedRow: Sendable, Equatable {
    public var priced: PricedConversation
    public var department: MappedLabel
    public var outcome: MappedLabel
    /// `label` nil = `unknown`.
    public var channel: MappedLabel
}

/// `recompute` for one row at a time (issue 18): logged departments, outcomes and channels
/// are mapped through the vocabulary again (a drifted `vertrieb` becomes `sales`, keeping its
/// text); one that still matches nothing counts as unassigned and waits in `review`.
public struct Repricing: Sendable {
    public let valuation: Valuation
    let vocabulary: LabelVocabulary

    public init(_ valuation: Valuation) {
        self.valuation = valuation
        vocabulary = LabelVocabulary(valuation.config)
    }

    public func callAsFunction(_ row: StoredForPricing) -> RepricedRow {
        let channel = Self.remap(channel: row.channel, vocabulary)
        let department = Self.remap(row.department, .department, vocabulary)
        let outcome = Self.remap(row.outcome, .outcome, vocabulary)
        func decided(_ label: String??, else mapped: String?) -> String? {
            if case .some(let label) = label { return label }
            return mapped
        }
        let record = ConversationRecord(
            date: row.date, employee: row.employee, channel: channel.label ?? "unknown",
            department: decided(row.decidedDepartment, else: department.label), outcome: decided(row.decidedOutcome, else: outcome.label),
            durationSeconds: row.durationSeconds, valueCents: row.valueCents, rawDepartment: department.raw)
        return RepricedRow(priced: valuation.price(record), department: department, outcome: outcome, channel: channel)
    }

    /// A stored department or outcome (its written text where kept) through the vocabulary.
    static func remap(_ written: String?, _ kind: LabelVocabulary.Kind, _ vocabulary: LabelVocabulary) -> MappedLabel {
        guard let written else { return MappedLabel(label: nil, raw: nil) }
        return MappedLabel.map(written, kind, vocabulary: vocabulary, normalized: FieldValues.label(written))
    }

    /// A stored channel through the vocabulary; `unknown` without written text stays so.
    static func remap(channel written: String, _ vocabulary: LabelVocabulary) -> MappedLabel {
        let label = vocabulary.resolve(written, .channel)
        if label == nil, written == "unknown" { return MappedLabel(label: nil, raw: nil) }
        return MappedLabel(label: label, raw: label == written.lowercased() ? nil : written)
    }
}
