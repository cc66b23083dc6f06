import Foundation

/// The labels figures are counted under (issue 18): the configured departments, outcomes and
/// channels with their aliases. A written value is matched ignoring case, surrounding space,
/// separators (` `, `-`, `_`, `.`) and umlaut spelling (ä = ae, ö = oe, ü = ue, ß = ss; composed or not), so
/// `Kunden-Service`, `kundenservice` and `KUNDENSERVICE` are one label; a value matching
/// nothing is no new category but unassigned, its text kept for review.
public struct LabelVocabulary: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case department, outcome, channel

        var index: Int {
            switch self {
            case .department: 0
            case .outcome: 1
            case .channel: 2
            }
        }
    }

    /// The most departments, and the most outcomes, the configuration may name: each is a
    /// column of its classifier, 1 MiB of memory (`NaiveBayes.maxLabels`). Channels are not classified.
    public static let maxPerKind = 64

    /// Folded spelling → label name, per kind (by `Kind.index`: asked for every record's fields,
    /// so no hashing of the kind first).
    private var lookup: [[String: String]] = Array(repeating: [:], count: Kind.allCases.count)
    /// Every label name per kind, sorted, for messages.
    public private(set) var names: [Kind: [String]] = [:]

    public init(_ v: ValuationConfig) {
        add(.department, v.departments.mapValues(\.aliases))
        add(.outcome, v.outcomes.mapValues(\.aliases))
        add(.channel, v.channels.mapValues(\.aliases))
    }

    /// Names first, then aliases, each in name order: a name always wins over an alias.
    private mutating func add(_ kind: Kind, _ labels: [String: [String]]) {
        var map: [String: String] = [:]
        let sorted = labels.sorted { $0.key < $1.key }
        for (name, _) in sorted { map[Self.fold(name)] = name }
        for (name, aliases) in sorted {
            for alias in aliases where map[Self.fold(alias)] == nil { map[Self.fold(alias)] = name }
        }
        lookup[kind.index] = map
        names[kind] = sorted.map(\.key)
    }

    /// The label `written` names, or nil when it matches no label or alias of `kind`.
    public func resolve(_ written: String, _ kind: Kind) -> String? {
        lookup[kind.index][Self.fold(written)]
    }

    /// The label a folded alias already names (for the config's duplicate check).
    func owner(ofFolded folded: String, _ kind: Kind) -> String? { lookup[kind.index][folded] }

    /// `  Kunden-Service ` → `kundenservice`, `Gelöst` → `geloest`: lowercased on Unicode
    /// scalars, umlauts spelt out, separators and surrounding space dropped.
    public static func fold(_ s: String) -> String {
        // ASCII (nearly every written label): the same, byte by byte, without Unicode lowercasing.
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes = s.utf8.makeIterator()
            return String(unsafeUninitializedCapacity: s.utf8.count) { out in
                var n = 0
                while let c = bytes.next() {
                    switch c {
                    case 0x20, 0x2D, 0x5F, 0x2E, 0x09: continue
                    case 0x41...0x5A: out[n] = c | 0x20
                    default: out[n] = c
                    }
                    n += 1
                }
                return n
            }
        }
        var out = String.UnicodeScalarView()
        // Composed first: a Mac writes "gelöst" as o + U+0308, which is neither "ö" nor "oe".
        // Only text with a combining mark needs it (Foundation's normalization per record is not free).
        let composed = s.unicodeScalars.contains { $0.properties.canonicalCombiningClass != .notReordered } ? s.precomposedStringWithCanonicalMapping : s
        for scalar in composed.lowercased().unicodeScalars {
            switch scalar {
            case " ", "-", "_", ".", "\t", "\u{A0}": continue
            case "ä": out.append("a"); out.append("e")
            case "ö": out.append("o"); out.append("e")
            case "ü": out.append("u"); out.append("e")
            case "ß": out.append("s"); out.append("s")
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}

/// The written value of one label field mapped through the vocabulary: the label it names
/// (nil: none matched) and the text as written when that differs from the label as the parser
/// used to normalize it (kept on the record as `raw_department` etc.).
public struct MappedLabel: Sendable, Equatable {
    public var label: String?
    public var raw: String?

    public init(label: String?, raw: String?) {
        self.label = label
        self.raw = raw
    }

    /// Department or outcome: `normalized` is `FieldValues.label` of the text (what stores
    /// before the vocabulary held), so a value spelt like its label keeps no raw text.
    public static func map(_ written: String, _ kind: LabelVocabulary.Kind, vocabulary: LabelVocabulary?, normalized: String) -> MappedLabel {
        guard let vocabulary else { return MappedLabel(label: normalized, raw: nil) }
        let label = vocabulary.resolve(written, kind)
        return MappedLabel(label: label, raw: label == normalized ? nil : written)
    }
}
