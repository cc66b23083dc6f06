/// `CustomerIdentity.normalised`, `isPseudonym` and `isForgottenLabel` for an ASCII customer, byte by byte: every
/// stored record's customer is normalised, and the general way (Foundation's trimming and NFC,
/// Characters, an array of scalars and a `CharacterSet` lookup per scalar for an address) was
/// a fifth of preparing such a record (issue 17). For ASCII both ways agree (a test holds them
/// side by side): NFC changes no ASCII text, its only multi-scalar Character is CR LF, and its
/// whitespace, newlines and alphanumerics are the bytes below. Nil: not ASCII, ask the general way.
enum CustomerASCII {
    /// `.some(nil)` when nothing is left (blank).
    static func normalised(_ customer: String) -> String?? {
        var customer = customer
        return customer.withUTF8 { all -> String?? in
            guard all.allSatisfy({ $0 < 0x80 }) else { return nil }
            var lo = 0, hi = all.count
            while lo < hi, isSpaceOrNewline(all[lo]) { lo += 1 }
            while hi > lo, isSpaceOrNewline(all[hi - 1]) { hi -= 1 }
            // `Name <address>` → the address.
            if hi > lo, all[hi - 1] == UInt8(ascii: ">"), let open = all[lo..<hi].lastIndex(of: UInt8(ascii: "<")),
               isEmailAddress(all[(open + 1)..<(hi - 1)]) {
                (lo, hi) = (open + 1, hi - 1)
            }
            // `mailto:` before an address goes; the address is trimmed of spaces and tabs.
            if let colon = all[lo..<hi].firstIndex(of: UInt8(ascii: ":")), colon - lo == 6,
               all[lo..<colon].elementsEqual("mailto".utf8, by: { $0 | ($0 >= 0x41 && $0 <= 0x5A ? 0x20 : 0) == $1 }) {
                var a = colon + 1, b = hi
                while a < b, all[a] == 0x20 || all[a] == 0x09 { a += 1 }
                while b > a, all[b - 1] == 0x20 || all[b - 1] == 0x09 { b -= 1 }
                if isEmailAddress(all[a..<b]) { (lo, hi) = (a, b) }
            }
            guard lo < hi else { return .some(nil) }
            let value = all[lo..<hi]
            let lower = isEmailAddress(value) || isHandle(value)
            return .some(String(unsafeUninitializedCapacity: value.count) { out in
                var k = 0
                for c in value {
                    out[k] = lower && c >= 0x41 && c <= 0x5A ? c | 0x20 : c
                    k += 1
                }
                return k
            })
        }
    }

    /// `isPseudonym` (prefix `cus-`) and `isForgottenLabel` (`forgotten-`): the prefix and 16
    /// lowercase hex digits. Nil for text that is not ASCII (it is neither, but the general way says so).
    static func isHexLabel(_ value: String, prefix: String) -> Bool? {
        var value = value
        return value.withUTF8 { b -> Bool? in
            guard b.allSatisfy({ $0 < 0x80 }) else { return nil }
            let prefix = prefix.utf8
            guard b.count == prefix.count + CustomerIdentity.digits, b.prefix(prefix.count).elementsEqual(prefix) else { return false }
            return b.dropFirst(prefix.count).allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
        }
    }

    @inline(__always)
    static func isSpaceOrNewline(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    /// `CustomerIdentity.isEmailAddress` of ASCII: one `@`, not first; no whitespace; a `.` in the
    /// domain neither right after the `@` nor last.
    static func isEmailAddress(_ v: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let at = v.firstIndex(of: UInt8(ascii: "@")), at > v.startIndex, v.lastIndex(of: UInt8(ascii: "@")) == at,
              !v.contains(where: isSpaceOrNewline) else { return false }
        guard let dot = v[(at + 1)...].lastIndex(of: UInt8(ascii: ".")), dot > at + 1, dot < v.endIndex - 1 else { return false }
        return true
    }

    /// `CustomerIdentity.isHandle` of ASCII: `@` and letters, digits, `_`, `.` or `-`.
    static func isHandle(_ v: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard v.first == UInt8(ascii: "@"), v.count > 1 else { return false }
        return v.dropFirst().allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A) || c == 0x5F || c == 0x2E || c == 0x2D
        }
    }
}
