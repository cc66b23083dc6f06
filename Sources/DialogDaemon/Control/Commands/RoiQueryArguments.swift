import DialogCore
import DialogStore
import DialogSystem
import Foundation

extension RoiQueryArguments {
    /// The conversations a `roi` query with these arguments sums: its window (resolved to whole
    /// hours, as `roi` reports it) and the filter that selects them, in `roi`'s terms (labels through
    /// the vocabulary). An employee filter obeys the privacy switch as in `roi`. Runs on the store-read worker.
    static func conversations(_ query: RoiQuery, _ reader: RoiReader) throws
        -> (window: TimeSpan, filter: ConversationStore.ExportFilter, labeler: EmployeeLabeler) {
        try reader.labeler.checkFilter(query.employee)
        let window = TimeSpan(hours: try reader.hours(of: query, now: Clock.wallSeconds()).current)
        // Any spelling of the vocabulary, as `roi` maps it (`Vertrieb` = `sales`); the words for none stay.
        func label(_ value: String?, _ kind: LabelVocabulary.Kind) -> String? { value.map { reader.vocabulary?.resolve($0, kind) ?? $0 } }
        let filter = ConversationStore.ExportFilter(
            since: window.since, until: window.until, department: label(query.department, .department), outcome: label(query.outcome, .outcome),
            channel: label(query.channel, .channel), employee: query.employee, site: query.site)
        return (window, filter, reader.labeler)
    }
}
