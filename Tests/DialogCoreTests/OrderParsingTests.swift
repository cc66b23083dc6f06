@testable import DialogCore
import Testing

/// Orders (issue 14): `type: order` in any format, and `NAME.orders.csv`/`.jsonl` read as orders
/// with ERP/CRM column names; conversations are read exactly as before.
@Suite("orders: parsing")
struct OrderParsingTests {
    static func orders(_ file: ParsedFile) -> [OrderRecord] { file.records.compactMap(\.order) }

    @Test("type: order / Typ: Auftrag in each of the four formats")
    func everyFormat() throws {
        let conv = "Typ: Auftrag\nDatum: 28.11.2026 10:00\nKunde: Anna@Example.com\nBetrag: 4.800,00 €\nAuftragsnummer: A-1\nProdukt: Lizenzen\n"
        let json = #"{"type": "order", "date": "2026-11-28T10:00:00+01:00", "customer": "anna@example.com", "amount": "4800.00 EUR", "id": "A-1", "product": "Lizenzen"}"#
        let jsonl = json + "\n" + jsonRecord() + "\n"
        let csv = "Type,Date,Customer,Amount,Order_ID,Product,Department\norder,2026-11-28 10:00,anna@example.com,\"4800,00\",A-1,Lizenzen,Vertrieb\n"
        for (text, name) in [(conv, "a.conv"), (json, "a.json"), (jsonl, "a.jsonl"), (csv, "a.csv")] {
            let file = try read(text, name)
            let order = try #require(Self.orders(file).first, "\(name)")
            #expect(order.amountCents == 480_000 && order.currency == "EUR" && order.id == "A-1" && order.product == "Lizenzen", "\(name): \(order)")
            #expect(order.date == 1_795_856_400, "\(name)")
            #expect(order.extras.isEmpty || name == "a.conv", "\(name): \(order.extras)")
        }
        let mixed = try read(jsonl, "a.jsonl")
        #expect(mixed.records.count == 2 && mixed.records[1].order == nil, "the conversation next to it stays a conversation")
        #expect(Self.orders(try read(csv, "a.csv")).first?.department == "vertrieb")
    }

    @Test("an orders file needs no type and reads ERP/CRM columns; negative amounts are credit notes")
    func ordersFile() throws {
        let csv = "Auftragsnummer;Kundennummer;Bestelldatum;Umsatz\n1001;K-77;27.11.2026;1.234,56\n1002;K-77;28.11.2026;-49,90\n"
        let file = try read(csv, "erp.orders.csv")
        let orders = Self.orders(file)
        #expect(orders.map(\.amountCents) == [123_456, -4_990])
        #expect(orders.map(\.customer) == ["K-77", "K-77"] && orders.map(\.id) == ["1001", "1002"])
        let jsonl = #"{"order_id": "9", "customer_id": "c@x.de", "order_date": "2026-11-28", "total": 12.5}"# + "\n"
        let one = try #require(Self.orders(try read(jsonl, "crm.orders.jsonl")).first)
        #expect(one.amountCents == 1250 && one.customer == "c@x.de" && one.id == "9")
        // The same columns in a conversation file are extras, as before.
        let conversation = try read("date,employee,Umsatz\n2026-11-28 10:00,anna,100\n", "calls.csv")
        #expect(conversation.records.first?.order == nil && conversation.records.first?.record.extras == ["Umsatz": "100"])
    }

    @Test("a bad order is refused with file, line, field and what was expected")
    func rejections() throws {
        let csv = "id,customer,date,amount\nA,,2026-11-28,10\nB,k,2026-11-28,\nC,k,tomorrow-ish,10\nD,k,2026-11-28,10 USD\nE,k,2026-11-28,10\n"
        let file = try read(csv, "x.orders.csv")
        #expect(Self.orders(file).map(\.id) == ["E"])
        let reasons = file.rejects.map(\.rejection)
        #expect(reasons.count == 4)
        #expect(reasons[0].line == 2 && reasons[0].field == "customer" && reasons[0].description.contains("customer"), "\(reasons[0])")
        #expect(reasons[1].line == 3 && reasons[1].field == "amount", "\(reasons[1])")
        #expect(reasons[2].line == 4 && reasons[2].field == "date", "\(reasons[2])")
        #expect(reasons[3].line == 5 && reasons[3].description.contains("EUR"), "\(reasons[3])")
        let typed = rejection("type,customer,date,amount\ncall,k,2026-11-28,10\n", "x.orders.csv")
        #expect(typed?.description.contains("orders file holds only orders") == true, "\(String(describing: typed))")
        let twice = try read("customer,Kundennummer,date,amount\na,b,2026-11-28,1\nk,,2026-11-28,1\n", "x.orders.csv")
        #expect(twice.rejects.first?.rejection.description.contains("only once") == true)
        #expect(Self.orders(twice).count == 1)
    }

    @Test("keys: an order number is the key; without one the content is, and it is not a conversation's key")
    func keys() throws {
        let a = OrderRecord(date: 1, customer: "k", amountCents: 100, currency: "EUR")
        var b = a
        b.amountCents = 101
        #expect(a.key != b.key && a.key.hasPrefix("sha256:"))
        b.id = "7"
        #expect(b.key == "id:7")
        #expect(a.differences(b) == ["amount"])
    }

    @Test("amends names the order a row corrects: it is the order number, never an extra; another number is refused")
    func amends() throws {
        let csv = "Auftragsnummer;Kundennummer;Bestelldatum;Umsatz;korrigiert\n;K-77;27.11.2026;550,00;B-200\nB-201;K-77;27.11.2026;5,00;B-201\n"
            + "B-202;K-77;27.11.2026;5,00;\nB-203;K-77;27.11.2026;5,00;B-200\n"
        let file = try read(csv, "erp.orders.csv")
        let orders = Self.orders(file)
        #expect(orders.map(\.id) == ["B-200", "B-201", "B-202"] && orders.map(\.amends) == ["B-200", "B-201", nil], "\(orders)")
        #expect(orders.allSatisfy { $0.extras.isEmpty } && orders[0].key == "id:B-200")
        let refused = try #require(file.rejects.first?.rejection)
        #expect(refused.line == 5 && refused.field == "amends" && refused.description.contains("\"B-203\""), "\(refused)")
        let json = try #require(Self.orders(try read(#"{"type":"order","date":"2026-11-28","customer":"k","amount":1,"amends":"9"}"#, "a.json")).first)
        #expect(json.id == "9" && json.amends == "9")
    }

    @Test("a credit note names the order it takes back (credits / Gutschrift zu), kept as extras[credits]; only on a negative amount, never itself")
    func credits() throws {
        let csv = "Auftragsnummer;Kundennummer;Bestelldatum;Betrag;Gutschrift zu\nA-1-G;K-77;27.11.2026;-100,00;A-1\nA-2;K-77;27.11.2026;100,00;\n"
            + "A-3;K-77;27.11.2026;100,00;A-1\nA-4-G;K-77;27.11.2026;-5,00;A-4-G\nA-5-G;K-77;27.11.2026;-5,00;A 1\n"
        let file = try read(csv, "erp.orders.csv")
        let orders = Self.orders(file)
        #expect(orders.map(\.id) == ["A-1-G", "A-2"], "\(orders)")
        #expect(orders.map(\.credits) == ["A-1", nil] && orders[0].extras == ["credits": "A-1"] && orders[1].extras.isEmpty)
        let reasons = file.rejects.map(\.rejection)
        #expect(reasons.map(\.line) == [4, 5, 6] && reasons.allSatisfy { $0.field == "Gutschrift zu" }, "\(reasons)")
        #expect(reasons[0].description.contains("positive amount"), "\(reasons[0])")
        #expect(reasons[1].description.contains("cannot credit itself"), "\(reasons[1])")
        let json = try #require(Self.orders(try read(#"{"type":"order","date":"2026-11-28 10:00","customer":"k","amount":-1,"credits":"9"}"#, "a.json")).first)
        #expect(json.credits == "9")
    }

    @Test("a date-only order is its whole day (23:59:59 local); a written time, midnight too, is kept; the key is the written date's")
    func dateOnly() throws {
        let csv = "Auftragsnummer;Kundennummer;Bestelldatum;Betrag\nA;K-77;28.11.2026;1,00\nB;K-77;28.11.2026 00:00;1,00\n"
        let orders = Self.orders(try read(csv, "erp.orders.csv"))
        // 2026-11-28 00:00 CET = 1_795_820_400.
        #expect(orders.map(\.date) == [1_795_820_400 + 86_399, 1_795_820_400])
        #expect(orders.map(\.writtenDate) == [1_795_820_400, nil])
        // Without an order number the content key uses the date as written: an export stored at
        // midnight before is a duplicate when dropped again, and equal in every field.
        var unnumbered = orders[0]
        unnumbered.id = nil
        var before = unnumbered
        (before.date, before.writtenDate) = (1_795_820_400, nil)
        #expect(unnumbered.key == before.key)
        #expect(before.differences(unnumbered).isEmpty && unnumbered.differences(before).isEmpty)
    }
}
