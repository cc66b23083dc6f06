import DialogCore
import Foundation

/// The `extras` column: a flat JSON object of strings with sorted keys, so the stored text is
/// deterministic and any JSON tool can read it. An empty dictionary is stored as NULL.
enum ExtrasJSON {
    static func encode(_ extras: [String: String]) -> String? {
        guard !extras.isEmpty else { return nil }
        var out = "{"
        for (index, key) in extras.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { out += "," }
            out += JSONValue.quote(key)
            out += ":"
            out += JSONValue.quote(extras[key]!)
        }
        out += "}"
        return out
    }

    static func decode(_ text: String?) throws -> [String: String] {
        guard let text else { return [:] }
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [])
        guard let dictionary = object as? [String: String] else {
            throw DatabaseError(resultCode: 11 /* SQLITE_CORRUPT */, message: "extras column is not a JSON object of strings: \(text.prefix(80))")
        }
        return dictionary
    }
}
