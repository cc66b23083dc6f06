import DialogCore
import Testing

/// Names, keys and ids are bytes to the kernel and to SQLite. Swift's `hasPrefix`, `hasSuffix`,
/// `lastIndex(of:)` and `==` work on Characters: a combining mark after `id:` or `.`, or a
/// prepending mark (U+0600) before `.reason`, hides the bytes that are there (the fuzzer's
/// crasher of session 19: `ID: \u{59C}rm-2`).
@Suite("byte affixes: a mark next to a separator does not hide it")
struct ByteAffixTests {
    static let combining = "\u{59C}"   // HEBREW ACCENT GERESH: extends the Character before it
    static let prepending = "\u{600}"  // ARABIC NUMBER SIGN: joins the Character after it

    @Test("the fuzzer's crasher: a record whose id starts with a combining mark has an `id:` key")
    func fuzzCrasher() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("ID:\(Self.combining)rm-2\r\nDate: Fri, 20 Nov 2026 11:00:00 +0100\r\nEmployee: b/b\r\nChannel: X\r\nDuration: 25m\r\nValue:".utf8)
        let file = try RecordReader(settings: ParseSettings(now: 1_795_900_000)).read(bytes, fileName: "crash.conv")
        let record = try #require(file.records.first).record
        let key = RecordKey.make(for: record)
        #expect(key.hasBytePrefix("id:"), "\(key.unicodeScalars.map { $0.value })")
        #expect(Array(key.utf8) == Array(("id:" + Self.combining + "rm-2").utf8))
    }

    @Test("a shipped copy keyed `id:` + an id that starts with a combining mark is accepted; a key equal only canonically is not")
    func shippedKeys() throws {
        func parse(_ key: String, id: String) throws -> ShippedCopy? {
            try ShippedCopy.parse(JSONParser.parse(Array("{\"site\":\"munich\",\"revision\":1,\"key\":\"\(key)\"}".utf8)), recordID: id)
        }
        let id = Self.combining + "rm-2"
        #expect(try parse("id:" + id, id: id)?.key == "id:" + id)
        // "é" precomposed and "e" + U+0301 are == as Swift Strings, two keys in SQLite.
        #expect(throws: ShippedCopyError.self) { try parse("id:\u{E9}", id: "e\u{301}") }
        #expect(SiteKey.base("site:munich/id:" + id) == "id:" + id)
    }

    @Test("an amend's id is compared as bytes: \"\u{E9}\" amending \"e\u{301}\" names two records and is refused")
    func amendIDsAreBytes() throws {
        let reader = RecordReader(settings: ParseSettings(now: 1_795_900_000))
        func conv(_ id: String, amends: String) -> [UInt8] {
            Array("ID: \(id)\nAmends: \(amends)\nDate: 2026-11-20 11:00\nEmployee: b\n\ntext\n".utf8)
        }
        #expect(try reader.read(conv("e\u{301}", amends: "e\u{301}"), fileName: "a.conv").records.count == 1)
        #expect(throws: RecordRejection.self) { try reader.read(conv("\u{E9}", amends: "e\u{301}"), fileName: "a.conv") }
    }

    @Test("a file's extension is read by bytes: a mark before the dot leaves it a .conv, a .orders.csv")
    func extensions() {
        #expect(RecordFormat(fileName: "notes" + Self.prepending + ".conv") == .conv)
        #expect(RecordFormat(fileName: "notes." + Self.combining + "conv") == nil)
        #expect(OrderFields.isOrdersFile("q4" + Self.prepending + ".orders.csv"))
        #expect(SpoolNames.readingName(of: "odd" + Self.prepending + ".1") == "odd" + Self.prepending)
        #expect(SpoolNames.readingName(of: SpoolNames.candidate("a" + Self.prepending + ".jsonl", 2)) == "a" + Self.prepending + ".jsonl")
    }

    @Test("retry refuses a dot name whatever follows the dot, and a path; companions are the daemon's to tell (HostileSpoolTests)")
    func retryRefusesDotNames() {
        for name in ["." + Self.combining + "hidden", "a/b", "..", ""] {
            #expect(throws: ControlError.self, "\(name)") { try RetryRequest(CommandArguments(values: ["name": .string(name)])) }
        }
        for name in ["odd" + Self.prepending, "foo.reason"] {
            #expect((try? RetryRequest(CommandArguments(values: ["name": .string(name)])))?.file == name)
        }
    }

    @Test("forget finds a cut row whose kept part ends in a prepending mark")
    func cutRowWithMark() {
        let raw = String(repeating: "a", count: RejectList.rawLimit - 2) + Self.prepending + RejectList.cutMark
        let line = "{\"line\":7,\"reason\":\"x\",\"raw\":\"\(raw)\"}"
        #expect(RecordErasure.cutRowLine(rejectsLine: line) == 7)
    }

    @Test("an order re-sent with a field spelled decomposed differs in that field (a conflict, as for conversations), not a duplicate")
    func orderDifferencesAreBytes() {
        var stored = OrderRecord(id: "7", date: 0, customer: "cus-1", amountCents: 100, currency: "EUR")
        stored.product = "M\u{FC}ller-Paket"
        stored.extras = ["region": "S\u{FC}d"]
        var again = stored
        #expect(again.differences(stored).isEmpty)
        again.product = "Mu\u{308}ller-Paket"
        again.extras = ["region": "Su\u{308}d"]
        #expect(again.differences(stored) == ["product", "extras"])
    }

    @Test("the helpers compare bytes")
    func helpers() {
        #expect("id:" + Self.combining + "x" != "id:x" && ("id:" + Self.combining).hasBytePrefix("id:"))
        #expect(!("id:" + Self.combining).hasPrefix("id:"), "if Swift ever compares bytes here, this suite's premise is gone")
        #expect(("a" + Self.prepending + ".reason").hasByteSuffix(".reason"))
        #expect(("a" + Self.prepending + ".reason").droppingByteSuffix(".reason") == "a" + Self.prepending)
        #expect("a.reason".droppingByteSuffix(".rejects.jsonl") == nil)
        #expect(("p:" + Self.combining + "x").droppingBytePrefix("p:") == Self.combining + "x" && "q:x".droppingBytePrefix("p:") == nil)
        #expect("\u{E9}".sameBytes(as: "\u{E9}") && !"\u{E9}".sameBytes(as: "e\u{301}"))
        #expect(!"".hasByteSuffix("x") && "".hasByteSuffix(""))
    }
}
