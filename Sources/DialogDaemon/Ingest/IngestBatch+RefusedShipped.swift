import DialogCore
import DialogStore

extension IngestBatch {
    /// A site's shipped line this central refused (a bad cell) after the revision that erased
    /// its record was stored here (increments overtake each other): it never reached the store,
    /// so nothing else notices it; its lines leave `cur/` and the rejects file once the file is
    /// moved (`IngestService.eraseShippedLines`), as an outdated stored one's would.
    func noteRefusedShipped(_ result: inout FileResult) throws {
        for reject in result.rejects {
            guard let copy = ShippedErasure.copy(refusedLine: Array(reject.raw.utf8)[...]),
                  let erased = try store.erasedRevision(site: copy.site, key: copy.key), copy.revision.map({ $0 < erased }) ?? true else { continue }
            result.shippedErasure.add(site: copy.site, key: copy.key, below: erased)
        }
    }
}
