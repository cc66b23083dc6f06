/// Small byte-level helpers shared by the value parsers, so they can work on UTF-8 without Foundation.
struct ByteCursor {
    let b: UnsafeBufferPointer<UInt8>
    var i: Int
    let end: Int

    init(_ b: UnsafeBufferPointer<UInt8>) {
        self.b = b
        var start = 0, stop = b.count
        while start < stop && ByteCursor.isSpace(b[start]) { start += 1 }
        while stop > start && ByteCursor.isSpace(b[stop - 1]) { stop -= 1 }
        self.i = start
        self.end = stop
    }

    var atEnd: Bool { i >= end }
    var peek: UInt8? { i < end ? b[i] : nil }

    mutating func skipSpaces() { while i < end && ByteCursor.isSpace(b[i]) { i += 1 } }

    mutating func eat(_ c: UInt8) -> Bool {
        if i < end && b[i] == c { i += 1; return true }
        return false
    }

    /// Reads exactly `count` digits (or 1...count when `atLeast` is smaller) as an Int.
    mutating func digits(min minCount: Int, max maxCount: Int) -> Int? {
        var value = 0, n = 0
        while i < end && n < maxCount, let d = ByteCursor.digit(b[i]) {
            value = value * 10 + d
            i += 1; n += 1
        }
        return n >= minCount ? value : nil
    }

    /// Reads an ASCII letter run, lowercased (for month names, units, zones).
    mutating func word() -> String {
        var out = ""
        while i < end, ByteCursor.isLetter(b[i]) {
            out.unicodeScalars.append(Unicode.Scalar(b[i] | 0x20))
            i += 1
        }
        return out
    }

    @inline(__always) static func digit(_ c: UInt8) -> Int? { c >= 0x30 && c <= 0x39 ? Int(c - 0x30) : nil }
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
}

/// A value that did not parse, with the phrase for "expected …" in the rejection.
struct ValueProblem: Error {
    var expected: String
}

extension String {
    /// Runs `body` on the string's UTF-8 bytes without copying native strings.
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = self
        return copy.withUTF8(body)
    }
}
