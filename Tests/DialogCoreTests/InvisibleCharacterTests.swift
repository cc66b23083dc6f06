import DialogCore
import Testing

/// Scalars that show as nothing make look-alikes: `anna` + U+200B is another employee than
/// `anna` in every figure, `r1` + U+FEFF another record than `r1`, and no terminal shows the
/// difference (attack review of session 19, finding 5). Names and ids refuse them, with a reason.
@Suite("invisible characters in names and ids")
struct InvisibleCharacterTests {
    /// Each after the ASCII `anna` or `r1`: a joiner or a variation selector there joins nothing.
    static let invisibles = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{FEFF}", "\u{AD}", "\u{3164}", "\u{E0041}", "\u{2060}", "\u{FE0F}", "\u{34F}"]
    static let reader = RecordReader(settings: ParseSettings(now: 1_795_900_000))

    static func conv(employee: String = "anna", id: String? = nil) -> [UInt8] {
        Array(((id.map { "ID: \($0)\n" } ?? "") + "Date: 2026-11-20 11:00\nEmployee: \(employee)\n\ntext\n").utf8)
    }

    @Test("an employee name or an id holding one is refused, naming the field", arguments: invisibles)
    func refused(invisible: String) {
        #expect {
            try Self.reader.read(Self.conv(employee: "anna" + invisible), fileName: "a.conv")
        } throws: { error in
            let text = "\(error)"
            return text.contains("employee") && text.contains("invisible")
        }
        #expect {
            try Self.reader.read(Self.conv(id: "r1" + invisible), fileName: "a.conv")
        } throws: { error in "\(error)".contains("invisible") }
    }

    @Test("visible non-ASCII names and ids are kept: accents, combining marks, CJK, emoji without joiners")
    func visibleKept() throws {
        // ZWNJ and ZWJ inside Persian, Devanagari and emoji text, an emoji's variation selector.
        for name in ["Jürgen", "Mu\u{308}ller", "王芳", "Zoë 🙂", "José María", "\u{645}\u{6CC}\u{200C}\u{62E}\u{648}\u{627}\u{647}\u{645}",
                     "\u{915}\u{94D}\u{200D}\u{937}", "Ann 👩\u{200D}💻", "Ben ❤\u{FE0F}"] {
            let record = try #require(try Self.reader.read(Self.conv(employee: name, id: "id-" + name.filter { $0 != " " }), fileName: "a.conv").records.first).record
            #expect(record.employee.sameBytes(as: name))
        }
    }
}
