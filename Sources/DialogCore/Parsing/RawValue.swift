/// A field value as a format delivered it, before validation: text, a JSON number literal, etc.
public enum RawValue: Sendable, Equatable {
    case text(String)
    /// A JSON number, kept as its literal so money and durations never pass through Double.
    case number(String)
    case bool(Bool)
    /// A JSON array of strings (tags).
    case list([String])
    /// An absent value (JSON `null`, empty CSV cell).
    case null
    /// A JSON object or mixed array: `kind` names it for messages, `json` is its compact text.
    case structured(kind: String, json: String)

    /// How the value is named in "found …" of a rejection.
    var foundDescription: String {
        switch self {
        case .text(let s): return s
        case .number(let n): return "<a number: \(n)>"
        case .bool(let b): return "<\(b)>"
        case .list: return "<a list>"
        case .null: return "<null>"
        case .structured(let kind, _): return "<\(kind)>"
        }
    }
}

/// A header or key resolved once: a known field or an extra kept under its written name.
public enum FieldKey: Sendable, Equatable {
    case known(Field)
    case extra(String)

    /// Resolves a header name; ASCII names take a fast path without Unicode lowercasing.
    public init(name: String) {
        if let f = FieldKey.fastLookup(name) {
            self = .known(f)
        } else if let f = Field(header: name) {
            self = .known(f)
        } else {
            self = .extra(name.trimmingWhitespace())
        }
    }

    /// Every known name (canonical and aliases) packed into three words, canonical names first.
    static let packedNames: [(UInt64, UInt64, UInt64, Field)] = {
        var names: [(String, Field)] = Field.allCases.map { ($0.rawValue, $0) }
        names += Field.aliases.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return names.compactMap { name, field in
            Array(name.utf8).withUnsafeBufferPointer { pack($0, 0, $0.count) }.map { ($0.0, $0.1, $0.2, field) }
        }
    }()

    /// Normalizes (ASCII lowercase, `-`/space → `_`) and packs up to 24 ASCII bytes; `nil` otherwise.
    @inline(__always)
    static func pack(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (UInt64, UInt64, UInt64)? {
        guard end - start <= 24 else { return nil }
        var w: (UInt64, UInt64, UInt64) = (0, 0, 0)
        for k in start..<end {
            var c = b[k]
            if c >= 0x80 { return nil }
            if c == UInt8(ascii: "-") || c == UInt8(ascii: " ") { c = UInt8(ascii: "_") } else if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            let pos = k - start
            let v = UInt64(c) << UInt64((pos & 7) * 8)
            switch pos >> 3 {
            case 0: w.0 |= v
            case 1: w.1 |= v
            default: w.2 |= v
            }
        }
        return w
    }

    /// Resolves a name from raw bytes without allocating or hashing; `nil` for unknown or non-ASCII names.
    static func lookup(_ b: UnsafeBufferPointer<UInt8>) -> Field? {
        var start = 0, end = b.count
        while start < end && ByteCursor.isSpace(b[start]) { start += 1 }
        while end > start && ByteCursor.isSpace(b[end - 1]) { end -= 1 }
        guard let w = pack(b, start, end) else { return nil }
        let bucket = Int(w.0 & 0x1F)
        return flat.withUnsafeBufferPointer { table -> Field? in
            var k = bucketStart[bucket]
            let stop = bucketStart[bucket + 1]
            while k < stop {
                let e = table[k]
                if e.0 == w.0 && e.1 == w.1 && e.2 == w.2 { return e.3 }
                k += 1
            }
            return nil
        }
    }

    /// `packedNames` ordered by the low five bits of the first letter, with each bucket's start,
    /// so a lookup compares a handful of entries.
    static let flat: [(UInt64, UInt64, UInt64, Field)] = packedNames.enumerated()
        .sorted { ($0.element.0 & 0x1F, $0.offset) < ($1.element.0 & 0x1F, $1.offset) }.map(\.element)
    static let bucketStart: [Int] = {
        var starts = Array(repeating: 0, count: 33)
        for e in packedNames { starts[Int(e.0 & 0x1F) + 1] += 1 }
        for k in 1...32 { starts[k] += starts[k - 1] }
        return starts
    }()

    static func fastLookup(_ name: String) -> Field? {
        name.withBytes { lookup($0) }
    }
}

extension Field {
    /// Position in `allCases`, for the builder's fixed slot array.
    var ordinal: Int {
        switch self {
        case .id: 0
        case .date: 1
        case .employee: 2
        case .channel: 3
        case .customer: 4
        case .department: 5
        case .outcome: 6
        case .duration: 7
        case .value: 8
        case .satisfaction: 9
        case .sentiment: 10
        case .responseTime: 11
        case .subject: 12
        case .text: 13
        case .tags: 14
        case .amends: 15
        }
    }
}
