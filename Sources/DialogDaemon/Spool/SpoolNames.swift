import DialogCore

/// Names dialogd gives a dropped file (and its `.reason`, `.rejects.jsonl`, temporaries and
/// collision numbers) in `quarantine/` and `cur/`. They always fit NAME_MAX, so a long name is
/// that file's own matter, never an error that pauses ingestion for everyone.
enum SpoolNames {
    static let nameMax = 255
    /// Bytes kept free after a base name: `.NNNNNNNNNN` + `.rejects.jsonl` + a temporary's `.` and `.PID.tmp`.
    static let reserve = 48
    static var maxBaseBytes: Int { nameMax - reserve }

    /// `name` when it leaves room for what is appended; otherwise its first bytes (whole
    /// scalars), `~` and 12 hex digits of its SHA-256: short, stable, and still recognisable.
    static func base(for name: String) -> String {
        guard name.utf8.count > maxBaseBytes else { return name }
        let hash = "~" + String(SHA256.hex(name).prefix(12))
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
    static func candidate(_ name: String, _ n: Int) -> String {
        if n == 0, name.utf8.count <= nameMax { return name }
        return "\(base(for: name)).\(n)"
    }

    /// A temporary name for writing `name` in the same directory; hashed when `name` is long.
    static func temporary(for name: String, pid: Int32) -> String {
        let plain = ".\(name).\(pid).tmp"
        return plain.utf8.count <= nameMax ? plain : ".\(SHA256.hex(name).prefix(24)).\(pid).tmp"
    }
}
