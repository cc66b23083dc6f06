import Foundation

/// The `extras` column: a flat JSON object of strings with sorted keys, so the stored text is
/// deterministic and any JSON tool can read it. An empty dictionary is stored as NULL.
enum ExtrasJSON {
    static func encode(_ extras: [String: String]) -> String? {
        guard !extras.isEmpty else { return nil }
        var out = "{"
        for (index, key) in extras.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { out += "," }
            appendQuoted(key, to: &out)
            out += ":"
            appendQuoted(extras[key]!, to: &out)
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

    /// RFC 8259 string: escapes `"`, `\` and all control characters; everything else verbatim UTF-8.
    private static func appendQuoted(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
