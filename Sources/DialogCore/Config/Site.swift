import Foundation

/// `[site]`: the name this daemon's records carry in a roll-up of many sites, and how a central
/// daemon counts the records other sites ship to it (README "Many sites", docs/spool.md).
public struct Site: Sendable, Equatable {
    /// How shipped records (a `dialogd` object with `site` and `revision`) are counted.
    public enum ShippedFigures: String, Sendable, Equatable, CaseIterable {
        /// The labels and prices the site exported: a site's rates are its own business.
        case kept
        /// Labelled and priced with this daemon's classifier and valuation, like its own records.
        case recomputed
    }

    /// `nil`: the host name (`SiteID.hostDefault`).
    public var id: String?
    public var shippedFigures = ShippedFigures.kept

    public init(id: String? = nil, shippedFigures: ShippedFigures = .kept) {
        self.id = id
        self.shippedFigures = shippedFigures
    }

    /// The configured id, or the host name's.
    public var resolvedID: String { id ?? SiteID.hostDefault }
}

/// A site id: a short token that is safe in keys, file names and URLs.
public enum SiteID {
    public static let maxLength = 32
    public static let form = "1 to 32 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"

    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= maxLength, isAlnum(first) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
    }

    /// The host name's first label, lowercased, when it is a valid id; else `local`.
    /// gethostname(2), not ProcessInfo.hostName, which may ask DNS for the canonical name.
    public static var hostDefault: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "local" }
        return fromHostName(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    static func fromHostName(_ name: String) -> String {
        let short = String(name.lowercased().split(separator: ".", omittingEmptySubsequences: false).first ?? "")
        return isValid(short) ? short : "local"
    }
}
