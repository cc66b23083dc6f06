import DialogCore
import Foundation

/// `--json` output: a result as the daemon sent it, indented, keys sorted — the layout
/// `JSONSerialization` gives, which scripts and the docs' examples already see.
enum JSONOutput {
    static func pretty(_ value: JSONValue) -> String {
        let options: JSONSerialization.WritingOptions = [.fragmentsAllowed, .sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: foundation(value), options: options) else { return value.serialized }
        return String(decoding: data, as: UTF8.self)
    }

    /// The Foundation value `JSONSerialization` would have parsed the same text into: an
    /// integer literal as an integer, any other number as a Double.
    private static func foundation(_ value: JSONValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let b): return NSNumber(value: b)
        case .number(let literal):
            if let integer = Int64(literal) { return NSNumber(value: integer) }
            return NSNumber(value: Double(literal) ?? 0)
        case .string(let s): return s
        case .array(let items): return items.map(foundation)
        case .object(let members):
            var object: [String: Any] = [:]
            for member in members { object[member.key] = foundation(member.value) }
            return object
        }
    }
}
