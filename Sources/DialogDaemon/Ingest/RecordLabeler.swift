import DialogCore
import DialogStore
import DialogSystem

/// A frozen classifier, safe to share with the parallel prepare step.
struct LabelSnapshot: Sendable {
    let classifier: Classifier
    let outcomeDepartments: [String: String]

    func labels(for record: ConversationRecord, document: Document) -> RecordLabels {
        classifier.labels(for: record, document: document, outcomeDepartments: outcomeDepartments)
    }
}

/// The loop's record pipeline (docs/design.md "data flow"): labels records as they are ingested
/// (docs/classification.md), prices them with the store's valuation (`CountedRecord`), learns from
/// the logged ones, and keeps the classifier's snapshot in the store; `relabel` and `recompute`
/// go through it too, so valuation and learning happen here and the store only stores. Learning happens in memory inside the
/// ingest transaction; the snapshot is written inside one at most every `snapshotSeconds`
/// and at shutdown, and whatever came after the last snapshot is replayed from the stored
/// records at start. A batch that rolls back reloads the model, so nothing is learned twice.
final class RecordLabeler {
    private(set) var classifier: Classifier
    private var outcomeDepartments: [String: String]
    /// The configured departments and outcomes: what a replay of the stored rows teaches. A row
    /// from before the vocabulary may hold a drifted label (`vertrieb`), which would take a
    /// column of the model (`NaiveBayes.maxLabels`) and never be counted (docs/roi.md).
    private var learnable: [Dimension: Set<String>]
    private var unsaved = 0
    /// An amend changed what the model learned from a row that may be older than the snapshot
    /// (never replayed), or `restore` could not save the model it learned again: it must be
    /// written before that batch commits.
    private var mustSave = false
    private var savedAt: Int64
    static let snapshotSeconds: Int64 = 60
    /// What `ingest` was to learn while `defersLearning`, in order (`learnDeferred`).
    private enum Lesson {
        /// Only the logged labels are kept: a copy of the whole record per note cost the loop (issue 17).
        case stored(Logged, Document)
        case amended(ReplacedRecord, ConversationRecord, Document)
    }
    private var deferred: [Lesson] = []
    /// What each `amended` since the last snapshot check took back (row, labels), newest last,
    /// for `undoAmended`: a label the model did not hold was not taken back, though the amend's
    /// own record may have made its column since. Emptied at every `saveIfDue` (a batch's end).
    private var takenBack: [(row: Int64, labels: [(Dimension, String)])] = []
    /// While set, `ingest` notes what to learn instead of learning it (issue 17): the next chunk
    /// is being labelled on another core with a snapshot of the classifier, and learning then
    /// would copy its tables (megabytes) once per chunk. Cleared, the notes are learned.
    var defersLearning = false {
        didSet { if !defersLearning { learnDeferred() } }
    }

    init(store: ConversationStore, config: DialogConfig, log: Logger) throws {
        classifier = Classifier(config.classification)
        outcomeDepartments = Self.outcomeDepartments(config)
        learnable = Self.learnable(config)
        savedAt = Clock.monotonicMilliseconds()
        try restore(from: store, log: log)
    }

    static func outcomeDepartments(_ config: DialogConfig) -> [String: String] {
        config.valuation.outcomes.compactMapValues(\.department)
    }

    /// Sentiment has no entry: its three labels are checked where they are read.
    static func learnable(_ config: DialogConfig) -> [Dimension: Set<String>] {
        let names = LabelVocabulary(config.valuation).names
        return [.department: Set(names[.department] ?? []), .outcome: Set(names[.outcome] ?? [])]
    }

    /// Whether a replay teaches `label`: configured, or a column the model already has (a label
    /// a reload removed was learned live until then; only a new column is refused).
    private func replays(_ label: String, _ dimension: Dimension, into classifier: Classifier) -> Bool {
        learnable[dimension]?.contains(label) ?? true || classifier.holds(label, dimension)
    }

    /// Why the snapshot cannot be restored as it is, or nil: then every stored record is learned again.
    private func relearnReason(_ snapshot: ConversationStore.ModelSnapshot) -> String? {
        // A snapshot is a cache of what the rows teach: one that cannot be read is learned again.
        if !snapshot.unreadable.isEmpty { return "cannot be read (\(snapshot.unreadable.joined(separator: "; ")))" }
        // From before the calibrated confidence (issue 18, "DNB1"): its counts but no temperature,
        // so it would abstain on everything; counts are sums, so they come out the same.
        if snapshot.models.contains(where: { $0.key != .sentiment && $0.value.needsRecalibration }) {
            return "has no calibrated confidence yet"
        }
        // Columns of labels no longer configured (drifted ones from before the vocabulary) that
        // leave no room for a configured one: learned again, only configured labels take columns.
        for (dimension, configured) in learnable {
            guard let bayes = snapshot.models[dimension]?.bayes, bayes.isCrowded(for: configured) else { continue }
            return "leaves no room for the configured \(dimension.rawValue)s (\(bayes.labels.count) labels held)"
        }
        return nil
    }

    /// Loads the snapshot and replays the records stored after it.
    func restore(from store: ConversationStore, log: Logger) throws {
        deferred = []
        takenBack = []
        var snapshot = try store.loadModels()
        var discarded = false
        if let loaded = snapshot, let reason = relearnReason(loaded) {
            let message = "classifier: the model snapshot \(reason); learning all stored records again"
            if loaded.unreadable.isEmpty { log.info(message) } else { log.warning(message) }
            snapshot = nil
            discarded = true
        }
        var fresh = Classifier(ClassificationConfig(), models: snapshot?.models)
        fresh.minConfidence = classifier.minConfidence
        var replayed = 0
        try store.forEachLearnable(after: snapshot?.trainedThrough ?? 0) { document, labels in
            for (dimension, label) in labels where replays(label, dimension, into: fresh) {
                fresh.learn(document, dimension: dimension, label: label)
            }
            replayed += 1
        }
        let magnets = classifier
        classifier = fresh
        classifier.adoptRules(of: magnets)
        unsaved = replayed
        mustSave = false
        // A discarded snapshot is written again at once: until then every rollback and every
        // start would learn all stored records once more, on the loop. Failing that (a full
        // disk), with the next batch.
        if discarded { saveNow(store, log: log, what: "the model learned again") }
        if replayed > 0 { log.info("classifier: learned \(replayed) record(s) stored after the last model snapshot") }
    }

    /// A reload: new rules, and room made for labels it names where drifted columns fill the
    /// model (at start such a snapshot is learned again from the rows; here the configured
    /// columns are kept exact and the rest dropped, on the loop in milliseconds). Saved at once:
    /// a rollback before the next batch would load the crowded snapshot and learn every row again.
    func configure(_ config: DialogConfig, log: Logger, store: ConversationStore) {
        classifier.configure(config.classification)
        outcomeDepartments = Self.outcomeDepartments(config)
        learnable = Self.learnable(config)
        let dropped = classifier.makeRoom(for: learnable)
        guard !dropped.isEmpty else { return }
        for (dimension, count) in dropped.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            log.info("classifier: dropped \(count) \(dimension.rawValue) label(s) no longer configured from the model, to make room for the configured ones")
        }
        learnDeferred()
        saveNow(store, log: log, what: "the model with room made")
    }

    /// Writes the snapshot now, outside a batch; failing that (a full disk), with the next batch.
    private func saveNow(_ store: ConversationStore, log: Logger, what: String) {
        do {
            try store.savepoint("models") { try store.saveModels(classifier.models) }
            noteSaved()
        } catch {
            log.warning("classifier: \(what) is not saved yet (\(error)); saved with the next batch")
            mustSave = true
        }
    }

    func labels(for record: ConversationRecord, document: Document) -> RecordLabels {
        snapshot.labels(for: record, document: document)
    }

    /// The classifier as it is now, for labelling a chunk of files on all cores before the loop
    /// inserts them (a copy-on-write value: nothing is copied unless the loop learns meanwhile).
    var snapshot: LabelSnapshot { LabelSnapshot(classifier: classifier, outcomeDepartments: outcomeDepartments) }

    /// Learns what `ingest` noted while `defersLearning`; the loop calls it when no snapshot
    /// is out on another core, and every other change of the model calls it first.
    func learnDeferred() {
        guard !deferred.isEmpty else { return }
        var lessons: [Lesson] = []
        swap(&lessons, &deferred)
        for lesson in lessons {
            switch lesson {
            case .stored(let logged, let document): learn(logged, document: document)
            case .amended(let replaced, let record, let document): amended(replaced, by: record, document: document)
            }
        }
        // The next slice's notes go into this storage: regrowing it per slice copied every note
        // several times on the loop (issue 17).
        lessons.removeAll(keepingCapacity: true)
        if deferred.isEmpty { deferred = lessons }
    }

    /// Learns a record that was just stored (not a duplicate).
    func learn(from record: ConversationRecord, document: Document) {
        learn(Logged(record), document: document)
    }

    /// The labels a record logged, all the model learns from it.
    struct Logged {
        var department: String?
        var outcome: String?
        var sentiment: String?
        init(_ record: ConversationRecord) { (department, outcome, sentiment) = (record.department, record.outcome, record.sentiment) }
        var isEmpty: Bool { department == nil && outcome == nil && sentiment == nil }
    }

    /// `Classifier.learn(from:document:)` for the logged labels alone.
    private func learn(_ logged: Logged, document: Document) {
        guard !logged.isEmpty else { return }
        if let d = logged.department { classifier.learn(document, dimension: .department, label: d) }
        if let o = logged.outcome { classifier.learn(document, dimension: .outcome, label: o) }
        if let s = logged.sentiment { classifier.learn(document, dimension: .sentiment, label: s) }
        unsaved += 1
    }

    /// An amend replaced a stored record: what the old one taught is taken back, the new one
    /// is learned, and the snapshot is written in the same transaction (`saveIfDue`).
    func amended(_ replaced: ReplacedRecord, by record: ConversationRecord, document: Document) {
        let taken = replaced.learned.sorted(by: { $0.key.rawValue < $1.key.rawValue }).filter { classifier.holds($0.value, $0.key) }
        for (dimension, label) in taken { classifier.unlearn(replaced.document, dimension: dimension, label: label) }
        takenBack.append((replaced.rowID, taken.map { ($0.key, $0.value) }))
        learn(from: record, document: document)
        unsaved += 1
        mustSave = true
    }

    /// Takes back `learn` when a savepoint undid the insert.
    func unlearn(_ record: ConversationRecord, document: Document) {
        learnDeferred()
        guard record.department != nil || record.outcome != nil || record.sentiment != nil else { return }
        for (dimension, label) in [(Dimension.department, record.department), (.outcome, record.outcome), (.sentiment, record.sentiment)] {
            if let label { classifier.unlearn(document, dimension: dimension, label: label) }
        }
        unsaved = max(0, unsaved - 1)
    }

    /// Takes back `amended` when a savepoint undid the amend: the new record unlearned, the old
    /// labels learned again.
    func undoAmended(_ replaced: ReplacedRecord, by record: ConversationRecord, document: Document) {
        learnDeferred()
        for (dimension, label) in [(Dimension.department, record.department), (.outcome, record.outcome), (.sentiment, record.sentiment)] {
            if let label { classifier.unlearn(document, dimension: dimension, label: label) }
        }
        // Only what `amended` took back: a label the model did not hold then was not.
        guard let index = takenBack.lastIndex(where: { $0.row == replaced.rowID }) else { return }
        for (dimension, label) in takenBack.remove(at: index).labels {
            classifier.learn(replaced.document, dimension: dimension, label: label)
        }
    }

    /// Writes the snapshot inside the open transaction when due (or `force`d, or `mustSave`).
    func saveIfDue(_ store: ConversationStore, force: Bool = false) throws {
        learnDeferred()
        // The batch's files are past their savepoints: no amend of them is undone any more.
        takenBack.removeAll(keepingCapacity: true)
        guard unsaved > 0 || mustSave else { return }
        let now = Clock.monotonicMilliseconds()
        guard force || mustSave || now - savedAt >= Self.snapshotSeconds * 1000 else { return }
        try store.saveModels(classifier.models)
        noteSaved(at: now)
    }

    /// The stored snapshot holds what the model has learned.
    private func noteSaved(at now: Int64 = Clock.monotonicMilliseconds()) {
        unsaved = 0
        mustSave = false
        savedAt = now
    }

    /// Counts one spool record (final labels applied, priced), offers it to the store in the
    /// open transaction, and learns what it logged: a stored record teaches, an amend moves
    /// what the replaced one taught.
    func ingest(_ record: ConversationRecord, labels: RecordLabels, document: Document, key: String, sourceFile: String, line: Int,
                ingestedAt: Int64, into store: ConversationStore) throws -> IngestOutcome {
        let counted = CountedRecord(record, labels: labels, valuation: store.valuation, keepingShipped: !store.recomputesShippedFigures)
        return try ingest(counted, document: document, key: key, sourceFile: sourceFile, line: line, ingestedAt: ingestedAt, into: store)
    }

    /// `ingest` of a record counted and priced already (on another core, `StreamReader`), with
    /// the store's valuation of this transaction.
    func ingest(_ counted: CountedRecord, document: Document, key: String, sourceFile: String, line: Int,
                ingestedAt: Int64, into store: ConversationStore) throws -> IngestOutcome {
        let outcome = try store.ingest(counted, key: key, sourceFile: sourceFile, line: line, ingestedAt: ingestedAt)
        switch outcome {
        // Shipped copies teach nothing: their labels are their site's business.
        case .stored where counted.record.shipped == nil:
            let logged = Logged(counted.record)
            if defersLearning { if !logged.isEmpty { deferred.append(.stored(logged, document)) } } else { learn(logged, document: document) }
        case .amended(let replaced):
            if defersLearning {
                deferred.append(.amended(replaced, counted.record, document))
            } else {
                amended(replaced, by: counted.record, document: document)
            }
        case .stored: break
        case .duplicate, .duplicateOfBlanked, .conflict, .unknownAmend, .updated, .outdated, .outdatedByErasure: break
        }
        return outcome
    }

    /// `relabel`: a person's labels for row `rowID` — record, price, aggregates, model (the old
    /// learned label taken back, the new one learned) and snapshot in one transaction. The
    /// classifier changes only when it commits. Nil when no row has `rowID`.
    func relabel(_ store: ConversationStore, rowID: Int64, to changes: [Dimension: String]) throws -> ConversationLabels? {
        guard let stored = try store.conversation(rowID: rowID) else { return nil }
        learnDeferred()
        var updated = classifier
        let learned = try store.learnedLabels(rowID: rowID)
        let document = Document(stored.record)
        try store.transaction {
            guard let before = try store.countedForReview(stored) else { return }
            let after = store.valuation.relabeled(before.record, counted: before.priced, to: changes)
            try store.storeReview(rowID: rowID, changes: changes, from: before, to: after)
            for (dimension, label) in changes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                if let previous = learned[dimension] { updated.unlearn(document, dimension: dimension, label: previous) }
                updated.learn(document, dimension: dimension, label: label)
            }
            try store.saveModels(updated.models)
        }
        classifier = updated
        noteSaved()
        return try store.conversation(rowID: rowID)?.labels
    }

    /// `recompute`: every stored row priced again with the store's valuation, the aggregates rebuilt.
    func recompute(_ store: ConversationStore) throws -> Int {
        try store.recompute(Repricing(store.valuation))
    }
}
