import Foundation
@testable import DialogCore

/// The roster the mail tests share: two employees of the example company.
let mailRosterText = """
    employee,department,addresses,account
    anna.schmidt,vertrieb,anna.schmidt@example.com @anna_sales +49-30-1234567,4242
    john.doe,support,john.doe@example.com support@example.com,
    """

func mailRoster() -> Roster {
    (try? Roster.parse(Array(mailRosterText.utf8), source: "/etc/dialogd/roster.csv")) ?? Roster(source: "broken")
}

func mailSettings() -> ParseSettings { testSettings { $0.roster = mailRoster() } }

/// Reads `text` (line ends as written) as one `.eml` with the mail roster.
func readMail(_ text: String, settings: ParseSettings = mailSettings()) throws(RecordRejection) -> ParsedRecord {
    let file = try RecordReader(settings: settings).read(Array(text.utf8), fileName: "m.eml")
    guard let first = file.records.first else { throw RecordRejection(expected: "a record") }
    return first
}

func crlf(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: "\r\n") }
