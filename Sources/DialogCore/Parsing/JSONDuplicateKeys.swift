extension JSONValue {
    /// The first member name that occurs twice in one object, at any depth, or nil. Names are
    /// compared as Swift strings compare them (after unescaping, canonically equivalent is
    /// equal), as a decoder's dictionary would: a request whose meaning depends on which copy
    /// wins is refused instead (issue 13).
    public var firstDuplicateKey: String? {
        switch self {
        case .null, .bool, .number, .string:
            return nil
        case .array(let items):
            for item in items { if let key = item.firstDuplicateKey { return key } }
            return nil
        case .object(let members):
            var seen: Set<String> = []
            for member in members {
                if !seen.insert(member.key).inserted { return member.key }
                if let key = member.value.firstDuplicateKey { return key }
            }
            return nil
        }
    }
}
