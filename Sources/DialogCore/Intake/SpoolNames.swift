/// Names dialogd gives a dropped file (and its `.reason`, `.rejects.jsonl`, temporaries and
/// collision numbers) in `quarantine/` and `cur/`, and the way back (`readingName`): erasure
/// reads `a.jsonl.1` as the `a.jsonl` it was dropped as. They always fit NAME_MAX, so a long
/// name is that file's own matter, never an error that pauses ingestion for everyone.
public enum SpoolNames {
    public static let nameMax = 255
    /// Bytes kept free after a base name: `.NNNNNNNNNN` + `.rejects.jsonl` + a temporary's `.` and `.PID.tmp`.
    static let reserve = 48
    public static var maxBaseBytes: Int { nameMax - reserve }

    /// `name` when it leaves room for what is appended; otherwise its first bytes (whole
    /// scalars), `~`, 12 hex digits of its SHA-256 and the suffix it is read by
    /// (`readingSuffix`): short, stable, recognisable, and read as the name was.
    public static func base(for name: String) -> String {
        guard name.utf8.count > maxBaseBytes else { return name }
        let hash = "~" + String(SHA256.hex(name).prefix(12)) + readingSuffix(of: name)
        var cut = ""
        var bytes = 0
        for scalar in name.unicodeScalars {
            bytes += UTF8.width(scalar)
            if bytes > maxBaseBytes - hash.utf8.count { break }
            cut.unicodeScalars.append(scalar)
        }
        return cut + hash
    }

    /// The `n`th candidate for `name`: the name itself (if it fits), then `BASE.1`, `BASE.2`, …
    public static func candidate(_ name: String, _ n: Int) -> String {
        if n == 0, name.utf8.count <= nameMax { return name }
        return numbered(base(for: name), n)
    }

    /// `base` with collision number `n` (`a.conv.1`): the one spelling `readingName` undoes.
    public static func numbered(_ base: String, _ n: Int) -> String {
        "\(base).\(n)"
    }

    /// The name a file kept in `cur/` or `quarantine/` is read as: without the collision number
    /// `numbered` added (`a.jsonl.1` → `a.jsonl`, `x.orders.csv.2` → `x.orders.csv`), so its format
    /// and whether it holds orders are what they were at ingest. A shortened name (`base`) kept
    /// its reading suffix. A dropped name that ended in `.N` was refused for its extension; read
    /// as the name before it, it is read record by record, which misses less than a byte search.
    public static func readingName(of stored: String) -> String {
        guard let dot = stored.lastIndex(ofByte: UInt8(ascii: ".")), dot != stored.startIndex else { return stored }
        let digits = stored[stored.utf8.index(after: dot)...]
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let n = Int(digits), numbered("", n) == stored[dot...] else { return stored }
        return String(stored[..<dot])
    }

    /// A temporary name for writing `name` in the same directory; hashed when `name` is long.
    public static func temporary(for name: String, pid: Int32) -> String {
        let plain = ".\(name).\(pid).tmp"
        return plain.utf8.count <= nameMax ? plain : ".\(SHA256.hex(name).prefix(24)).\(pid).tmp"
    }

    /// The end of `name` that decides how it is read: `.orders.csv` (`OrderFields.isOrdersFile`),
    /// else a known extension (`RecordFormat`), as written; empty for any other name.
    static func readingSuffix(of name: String) -> String {
        guard let dot = name.lastIndex(ofByte: UInt8(ascii: ".")), RecordFormat(fileName: name) != nil else { return "" }
        let ext = String(name[dot...])
        let before = name[..<dot]
        if let inner = before.utf8.lastIndex(of: UInt8(ascii: ".")), before[inner...].lowercased() == ".orders", OrderFields.isOrdersFile(name) {
            return String(name[inner...])
        }
        return ext
    }
}
