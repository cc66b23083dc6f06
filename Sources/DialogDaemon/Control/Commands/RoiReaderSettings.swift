import DialogCore
import DialogStore
import Foundation

/// What a `RoiReader` on the store-read worker needs from the loop: the zone, the privacy
/// switch, the pseudonym key (created on first use, a write, so read here), the yardstick, and
/// from the valuation the channel groups, service departments and label vocabulary (issue 18).
struct RoiReaderSettings: Sendable {
    let timeZone: TimeZone
    let employeeFigures: EmployeeFigures
    let pseudonymKey: String
    let contactCostCents: Int64
    let valuation: ValuationConfig
    /// `[attribution]` as the loop's store adopted it: named beside attributed revenue.
    let attribution: AttributionConfig

    init(_ context: any ControlContext) throws(ControlError) {
        timeZone = context.config.timeZone
        employeeFigures = context.config.privacy.employeeFigures
        let store = context.store
        pseudonymKey = try storeCall { try store.pseudonymKey() }
        contactCostCents = store.valuation.config.callCenterContactCostCents
        valuation = store.valuation.config
        attribution = store.attribution
    }

    /// A reader on the worker's `store`, with that connection's pseudonym cache.
    func reader(_ store: ConversationStore) -> RoiReader {
        var reader = RoiReader(database: store.database, timeZone: timeZone, labeler: EmployeeLabeler(mode: employeeFigures, key: pseudonymKey),
                               callCenterContactCostCents: contactCostCents, channelGroups: valuation.channels.compactMapValues(\.group),
                               serviceDepartments: valuation.serviceDepartments, vocabulary: LabelVocabulary(valuation))
        reader.attribution = attribution
        reader.pseudonyms = store.pseudonyms
        return reader
    }
}

extension TimeSpan {
    /// The span of an hour range, as the reader reports windows.
    init(hours: Range<Int64>) {
        self.init(since: RoiQuery.hourStart(hours.lowerBound), until: RoiQuery.hourStart(hours.upperBound))
    }
}
