import Testing
@testable import DialogCore

@Suite struct TextDecodingTests {
    @Test func plainUTF8PassesThrough() throws {
        let d = try TextDecoding.decode(bytes("Grüße\n"))
        #expect(d.bytes == bytes("Grüße\n"))
        #expect(d.warnings.isEmpty)
    }

    @Test func bomAndCRLFAndLoneCR() throws {
        let d = try TextDecoding.decode([0xEF, 0xBB, 0xBF] + bytes("a\r\nb\rc\n"))
        #expect(String(decoding: d.bytes, as: UTF8.self) == "a\nb\nc\n")
    }

    @Test func windows1252Fallback() throws {
        // "Bär € Straße" in Windows-1252: ä = 0xE4, € = 0x80, ß = 0xDF.
        let d = try TextDecoding.decode([0x42, 0xE4, 0x72, 0x20, 0x80, 0x20, 0x53, 0x74, 0x72, 0x61, 0xDF, 0x65])
        #expect(String(decoding: d.bytes, as: UTF8.self) == "Bär € Straße")
        #expect(d.warnings == ["not valid UTF-8; read as Windows-1252"])
    }

    @Test func windows1252ConvFileCarriesWarning() throws {
        var data = bytes("Datum: 2026-11-28 14:05\nMitarbeiter: J")
        data += [0xE4]  // ä
        data += bytes("ger\n\nKunde war zufrieden.\n")
        let file = try RecordReader(settings: testSettings()).read(data, fileName: "a.conv")
        #expect(file.records[0].record.employee == "Jäger")
        #expect(file.warnings == [TextDecoding.windows1252Warning])
    }

    @Test func corruptUTF8IsRejected() {
        // A valid "ü" proves the file meant UTF-8; the lone 0xE4 is then corruption.
        let r = rejection(bytes("Datum: ü\n") + [0xE4, 0x0A], "a.conv")
        #expect(r?.expected == "valid UTF-8 (invalid byte sequence at byte 11)")
        #expect(r?.line == 2)
    }

    @Test func truncatedMultiByteAtEndIsRejected() {
        let r = rejection(bytes("Mitarbeiter: anna\n\nGr") + [0xC3], "a.conv")
        #expect(r?.expected.hasPrefix("valid UTF-8") == true)
    }

    @Test func nulMeansBinary() {
        let r = rejection(bytes("Datum: x\n") + [0] + bytes("\n"), "a.conv")
        #expect(r?.expected.contains("NUL") == true)
    }

    @Test(arguments: ["", "   \n\t\r\n"])
    func emptyOrWhitespaceIsRejected(text: String) {
        #expect(rejection(text, "a.conv")?.expected == "a non-empty file")
    }

    @Test func utf16IsNamed() {
        #expect(rejection([0xFF, 0xFE, 0x41, 0x00], "a.json")?.expected.contains("UTF-16") == true)
    }

    @Test func unknownExtensionIsRejected() {
        #expect(rejection("x", "notes.docx")?.found == "\"notes.docx\"")
    }
}

@Suite struct TextDecodingWordScanTests {
    /// The scanner checks eight bytes at a time; problems deep inside long ASCII runs must still be found.
    @Test func nulAndCRFarIntoTheFile() throws {
        let long = String(repeating: "abcdefgh", count: 10)
        #expect(rejection(bytes(long) + [0x41, 0x00], "a.conv")?.expected.contains("byte 82") == true)
        let d = try TextDecoding.decode(bytes(long + "x\r\ny" + long))
        #expect(d.bytes == bytes(long + "x\ny" + long))
        let bad = rejection(bytes(long + "ü") + [0xFF] + bytes(long), "a.conv")
        #expect(bad?.expected == "valid UTF-8 (invalid byte sequence at byte 83)")
    }

    @Test func foundValuesAreAlwaysBounded() {
        let r = RecordRejection(expected: "x", found: "\"" + String(repeating: "q", count: 500))
        #expect(r.found!.unicodeScalars.count < 70)
        #expect(RecordRejection(expected: "x", found: "<3 fields>").found == "<3 fields>")
    }
}
