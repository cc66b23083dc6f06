import DialogCore
import Testing

/// The names a kept file gets (`NAME.1`, a long name shortened) and the way back, `readingName`:
/// erasure reads a copy as the name it was dropped as (issue 14, newcomer7 F5).
@Suite("spool names: a collision copy is read as its dropped name")
struct SpoolNamesTests {
    @Test("readingName undoes every collision number candidate gives, and nothing else")
    func roundTrip() {
        for name in ["a.conv", "t.jsonl", "x.orders.csv", "mail.EML", "munich-r1-r1.jsonl", "notes", "x.jsonl.1"] {
            for n in [1, 2, 10, 123] {
                #expect(SpoolNames.readingName(of: SpoolNames.candidate(name, n)) == name)
            }
            #expect(SpoolNames.readingName(of: SpoolNames.candidate(name, 0)) == SpoolNames.readingName(of: name))
        }
        for name in ["a.jsonl", "a.jsonl.01", "a.jsonl.", ".1", "a.jsonl.1x", "a.jsonl.99999999999999999999999"] {
            #expect(SpoolNames.readingName(of: name) == name, "\(name)")
        }
    }

    @Test("a long name shortened keeps the suffix it is read by: format and orders file as the original")
    func shortenedKeepsFormat() {
        for suffix in [".jsonl", ".orders.csv", ".EML", ".orders.NDJSON", ".mbox"] {
            let long = String(repeating: "é", count: 120) + suffix
            for n in [1, 2] {
                let stored = SpoolNames.candidate(long, n)
                #expect(stored.utf8.count <= SpoolNames.nameMax && stored.contains("~"))
                let reading = SpoolNames.readingName(of: stored)
                #expect(RecordFormat(fileName: reading) == RecordFormat(fileName: long), "\(stored)")
                #expect(OrderFields.isOrdersFile(reading) == OrderFields.isOrdersFile(long), "\(stored)")
            }
        }
        let other = String(repeating: "b", count: 250) + ".bin"
        #expect(RecordFormat(fileName: SpoolNames.readingName(of: SpoolNames.candidate(other, 1))) == nil)
    }
}
