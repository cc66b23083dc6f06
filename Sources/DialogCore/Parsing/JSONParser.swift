/// A strict RFC 8259 parser over UTF-8 bytes with line/column tracking and a hard depth limit,
/// so hostile input (`[[[[…` a million deep) fails fast instead of overflowing the stack.
public struct JSONParser {
    let b: UnsafeBufferPointer<UInt8>
    var i: Int
    let end: Int
    var line: Int
    var lineStart: Int
    let maxDepth: Int

    /// Depth is capped so that even a careless configuration cannot make recursion unbounded.
    static let hardDepthCap = 512

    init(_ b: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil, line: Int = 1, maxDepth: Int) {
        self.b = b
        self.i = start
        self.end = end ?? b.count
        self.line = line
        self.lineStart = start
        self.maxDepth = min(max(maxDepth, 1), JSONParser.hardDepthCap)
    }

    /// Parses one complete JSON text (a single value with only whitespace around it).
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 64) throws(JSONError) -> JSONValue {
        let r: Result<JSONValue, JSONError> = bytes.withUnsafeBufferPointer { buf in
            Result { () throws(JSONError) -> JSONValue in
                var p = JSONParser(buf, maxDepth: maxDepth)
                return try p.parseDocument()
            }
        }
        return try r.get()
    }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let v = try parseValue(depth: 0)
        skipWhitespace()
        guard i >= end else { throw error("the end of the JSON text") }
        return v
    }

    // MARK: errors

    func column(at pos: Int) -> Int {
        var col = 1
        var k = lineStart
        while k < pos && k < end {
            if b[k] & 0xC0 != 0x80 { col += 1 }
            k += 1
        }
        return col
    }

    func error(_ expected: String, at pos: Int? = nil) -> JSONError {
        let p = pos ?? i
        var found: String
        if p >= end {
            found = end < b.count ? "<end of line>" : "<end of input>"
        } else {
            var e = p
            while e < end && e - p < 24 && b[e] != 0x0A { e += 1 }
            while e < end && b[e] & 0xC0 == 0x80 { e += 1 }  // do not cut a character
            found = String(decoding: UnsafeBufferPointer(rebasing: b[p..<e]), as: UTF8.self)
        }
        return JSONError(line: line, column: column(at: p), expected: expected, found: found)
    }

    // MARK: scanning

    @inline(__always) mutating func skipWhitespace() {
        while i < end {
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0D { i += 1 } else if c == 0x0A { i += 1; line += 1; lineStart = i } else { return }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard i < end else { throw error("a JSON value") }
        switch b[i] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("a JSON value (object, array, string, number, true, false or null)")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONError) {
        let n = word.utf8CodeUnitCount
        let start = word.utf8Start
        guard end - i >= n else { throw error("\(word)") }
        for k in 0..<n where b[i + k] != start[k] { throw error("\(word)") }
        i += n
    }

    mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= maxDepth else { throw error("JSON nested at most \(maxDepth) deep") }
        i += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if i < end && b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        members.reserveCapacity(12)
        while true {
            guard i < end, b[i] == UInt8(ascii: "\"") else { throw error("a quoted member name") }
            let keyLine = line
            let key = try parseString()
            skipWhitespace()
            guard i < end, b[i] == UInt8(ascii: ":") else { throw error("':' after the member name") }
            i += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append(JSONMember(key: key, value: value, line: keyLine))
            skipWhitespace()
            guard i < end else { throw error("',' or '}'") }
            if b[i] == UInt8(ascii: ",") { i += 1; skipWhitespace(); continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw error("',' or '}'")
        }
    }

    mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= maxDepth else { throw error("JSON nested at most \(maxDepth) deep") }
        i += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if i < end && b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard i < end else { throw error("',' or ']'") }
            if b[i] == UInt8(ascii: ",") { i += 1; skipWhitespace(); continue }
            if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw error("',' or ']'")
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as its literal.
    mutating func parseNumber() throws(JSONError) -> String {
        let start = i
        if i < end && b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < end, let first = ByteCursor.digit(b[i]) else { throw error("a digit") }
        i += 1
        if first == 0 {
            if i < end, ByteCursor.digit(b[i]) != nil { throw error("no leading zeros in a number", at: start) }
        } else {
            while i < end, ByteCursor.digit(b[i]) != nil { i += 1 }
        }
        if i < end && b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < end, ByteCursor.digit(b[i]) != nil else { throw error("a digit after '.'") }
            while i < end, ByteCursor.digit(b[i]) != nil { i += 1 }
        }
        if i < end && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            i += 1
            if i < end && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < end, ByteCursor.digit(b[i]) != nil else { throw error("a digit in the exponent") }
            while i < end, ByteCursor.digit(b[i]) != nil { i += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
    }

    /// A string literal; the fast path copies unescaped text straight from the input.
    mutating func parseString() throws(JSONError) -> String {
        i += 1
        let start = i
        while i < end {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") || c < 0x20 { break }
            i += 1
        }
        var out: [UInt8] = Array(UnsafeBufferPointer(rebasing: b[start..<i]))
        while i < end {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw error("a closing '\"' (control characters must be escaped inside a string)") }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < end else { break }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let escapeStart = i - 2
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard end - i >= 6, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                        throw error("a low surrogate \\uDC00–\\uDFFF after a high surrogate", at: escapeStart)
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw error("a low surrogate \\uDC00–\\uDFFF after a high surrogate", at: escapeStart)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw error("no lone low surrogate in \\u escapes", at: escapeStart)
                }
                Windows1252.appendUTF8(scalar, to: &out)
            default:
                throw error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", at: i - 2)
            }
        }
        throw error("a closing '\"'")
    }

    mutating func hex4() throws(JSONError) -> UInt32 {
        guard end - i >= 4 else { throw error("four hex digits after \\u") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 0x41 + 10)
            default: throw error("four hex digits after \\u")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}
