/// The one keyed hash behind every pseudonym dialogd stores or shows (employees, customers):
/// `prefix` + the first `digits` hex digits of SHA-256(key ‖ NUL ‖ identity). The key is the
/// installation's secret (kept in the store), so a pseudonym cannot be recomputed from a name
/// elsewhere, yet the same identity always gets the same pseudonym here.
public enum KeyedPseudonym {
    public static func make(prefix: String, digits: Int, key: String, identity: String) -> String {
        prefix + String(SHA256.hex(key + "\u{0}" + identity).prefix(digits))
    }
}
