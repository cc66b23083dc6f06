extension Escape {
    /// A label value of the Prometheus text exposition format (0.0.4): inside its double quotes
    /// only `\`, `"` and line feed need escaping (`\\`, `\"`, `\n`); bytewise, so a combining
    /// mark after a quote cannot keep it raw and end the value early.
    public static func prometheusLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 8)
        for byte in value.utf8 {
            switch byte {
            case 0x5C: out += [0x5C, 0x5C]
            case 0x22: out += [0x5C, 0x22]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
