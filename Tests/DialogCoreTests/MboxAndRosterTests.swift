import Foundation
import Testing
@testable import DialogCore

@Suite struct MboxAndRosterTests {
    static func message(_ id: String, date: String? = "Fri, 27 Nov 2026 10:00:00 +0100", body: String = "Hallo") -> String {
        "From: anna.schmidt@example.com\nTo: kunde@example.org\n" + (date.map { "Date: \($0)\n" } ?? "")
            + "Message-ID: <\(id)@example.com>\nSubject: \(id)\n\n\(body)\n"
    }

    static let mbox = "From anna.schmidt@example.com Fri Nov 27 10:00:00 2026\n" + message("one", body: "Zeile\n>From the start\n")
        + "\nFrom MAILER-DAEMON Fri Nov 27 10:00:00 2026\n" + message("broken", date: nil)
        + "\nFrom anna.schmidt@example.com Fri Nov 27 10:00:00 2026\n" + message("three")

    @Test func brokenMessageIsRejectedTheRestStored() throws {
        let file = try RecordReader(settings: mailSettings()).read(Array(Self.mbox.utf8), fileName: "export.mbox")
        #expect(file.records.map { $0.record.id } == ["one@example.com", "three@example.com"])
        #expect(file.records.map(\.line) == [1, 20])
        #expect(file.rejects.count == 1)
        let reject = try #require(file.rejects.first)
        #expect(reject.rejection.line == 12)
        #expect(reject.rejection.field == "Date")
        #expect(reject.raw.hasPrefix("From MAILER-DAEMON"))
        // mboxrd: one `>` less on each escaped From line.
        #expect(file.records[0].record.text == "Zeile\nFrom the start")
        #expect(MboxMessages.unescaped(Array(">From a\n>>From b\n> From c\nx >From d\n".utf8)[...]) == Array("From a\n>From b\n> From c\nx >From d\n".utf8))
    }

    @Test func sameMessageAsEmlAndInMboxIsOneRecord() throws {
        let eml = Self.message("one", body: "Zeile\nFrom the start\n")
        let fromEml = try readMail(eml).record
        let fromMbox = try RecordReader(settings: mailSettings()).read(Array(Self.mbox.utf8), fileName: "a.mbox").records[0].record
        #expect(fromEml == fromMbox)
        #expect(RecordKey.make(for: fromEml) == RecordKey.make(for: fromMbox))
        // And with CRLF line ends (as an .eml saved on Windows is).
        #expect(try readMail(crlf(eml)).record == fromEml)
    }

    @Test func streamedInSmallReadsAcrossBoundaries() throws {
        var text = ""
        for k in 0..<300 { text += "From x Fri Nov 27 10:00:00 2026\n" + Self.message("m\(k)", body: String(repeating: "Text \(k) ", count: k % 50)) }
        let all = Array(text.utf8)
        for step in [1, 7, 4096] {
            var position = 0
            var ids: [String] = []
            let file = try RecordReader(settings: mailSettings()).readStreamed(.mbox, fill: { buffer in
                let n = min(step, buffer.count, all.count - position)
                if n > 0 { all.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[position..<(position + n)])) } }
                position += n
                return n
            }, each: { ids.append($0.record.id ?? "") })
            #expect(file.recordCount == 300 && file.rejects.isEmpty, "step \(step)")
            #expect(ids == (0..<300).map { "m\($0)@example.com" }, "step \(step)")
        }
    }

    @Test func messageOverTheRecordLimitIsRejectedAlone() throws {
        let big = "From x Fri Nov 27 10:00:00 2026\n" + Self.message("big", body: String(repeating: "0123456789abcdef\n", count: 200_000))
        let text = "From x Fri Nov 27 10:00:00 2026\n" + Self.message("a") + big + "From x Fri Nov 27 10:00:00 2026\n" + Self.message("b")
        let file = try RecordReader(settings: mailSettings()).read(Array(text.utf8), fileName: "big.mbox")
        #expect(file.records.map { $0.record.id } == ["a@example.com", "b@example.com"])
        #expect(file.rejects.count == 1)
        #expect(file.rejects.first?.rejection.expected.contains("spool.max_record_bytes") == true)
        #expect(file.records[1].line == 200_017)
    }

    @Test func notAnMboxIsRefusedAsAWhole() {
        #expect(rejection("Hallo\nFrom x\n", "a.mbox", settings: mailSettings())?.expected.contains("From ") == true)
        #expect(rejection("", "a.mbox", settings: mailSettings())?.expected == "a non-empty file")
        #expect(rejection("\n\n", "a.mbox", settings: mailSettings())?.expected == "a non-empty file")
    }

    // MARK: roster

    @Test func rosterFindsAddressesHandlesAndPhones() throws {
        let roster = mailRoster()
        #expect(roster.entry(forAddress: "ANNA.Schmidt@Example.com")?.employee == "anna.schmidt")
        #expect(roster.entry(forAddress: "@Anna_Sales")?.employee == "anna.schmidt")
        #expect(roster.entry(forAddress: "+49301234567")?.employee == "anna.schmidt")
        #expect(roster.entry(forAddress: "support@example.com")?.employee == "john.doe")
        #expect(roster.entry(forEmployee: "Anna.Schmidt")?.department == "vertrieb")
        #expect(roster.employee(forUID: 4242) == "anna.schmidt")
        var resolved = roster
        let unknown = resolved.resolvingAccounts { _ in nil }
        #expect(unknown.isEmpty)
    }

    @Test func rosterProblemsNameTheirLine() {
        func problem(_ text: String) -> RecordRejection? {
            do { _ = try Roster.parse(Array(text.utf8), source: "r.csv"); return nil } catch { return error }
        }
        #expect(problem("name,addresses\nx,y\n")?.line == 1)
        #expect(problem("employee,department,addresses\na,b,a@x.de\n,c,d@x.de\n")?.line == 3)
        let twice = problem("employee,department,addresses\na,b,a@x.de\nb,c,A@X.de\n")
        #expect(twice?.line == 3 && twice?.description.contains("a, line 2") == true)
        #expect(problem("employee,department,addresses\na,b,a@x.de\nA,c,\n")?.line == 3)
        #expect(problem("employee,department,addresses,shoe size\n")?.field == "shoe size")
        #expect(problem("") != nil)
    }

    /// A roster saved by a German spreadsheet (`;` between columns) or with addresses separated by
    /// commas loaded silently with those addresses lost, so that employee's mail was quarantined as
    /// "not in the roster" while the admin saw the address in it. A row is validated like the header.
    @Test func rosterRowWithOtherColumnsThanTheHeaderNamesItsLine() {
        func problem(_ text: String) -> RecordRejection? {
            do { _ = try Roster.parse(Array(text.utf8), source: "r.csv"); return nil } catch { return error }
        }
        #expect(problem("employee,department,addresses\na,b,a@x.de\ncarla;marketing;carla@example.com\n")?.line == 3)
        #expect(problem("employee,department,addresses,account\na,b,a@x.de,\ncarla,marketing,carla@example.com,,c2@example.com\n")?.line == 3)
        #expect(problem("employee,department,addresses\na,b,a@x.de\ncarla,marketing,carla@example.com;c2@example.com\n")?.line == 3)
    }

    @Test func recordWithoutDepartmentTakesTheRosters() throws {
        let file = try read("Date: 2026-11-28 14:05\nEmployee: Anna.Schmidt\n\nText\n", "a.conv", settings: mailSettings())
        #expect(file.records[0].record.department == "vertrieb")
        let own = try read("Date: 2026-11-28 14:05\nEmployee: anna.schmidt\nDepartment: Support\n\nText\n", "a.conv", settings: mailSettings())
        #expect(own.records[0].record.department == "support")
        let stranger = try read("Date: 2026-11-28 14:05\nEmployee: bob\n\nText\n", "a.conv", settings: mailSettings())
        #expect(stranger.records[0].record.department == nil)
    }

    @Test func recordWithoutEmployeeTakesTheFileOwnersRosterEmployee() throws {
        var settings = mailSettings()
        settings.fileOwnerUID = 4242
        let file = try read(#"{"date": "2026-11-28 14:05"}"#, "a.json", settings: settings)
        #expect(file.records[0].record.employee == "anna.schmidt")
        #expect(file.records[0].record.department == "vertrieb")
        settings.fileOwnerUID = 1000
        let error = rejection(#"{"date": "2026-11-28 14:05"}"#, "a.json", settings: settings)
        #expect(error?.field == "employee" && error?.expected.contains("roster /etc/dialogd/roster.csv") == true)
    }
}
