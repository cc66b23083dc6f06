/// What a message's MIME tree holds for dialogd: the first inline text/plain part (as Python's
/// `email` `get_body` picks it), else the first inline text/html part as text, and the names of
/// everything else (attachments are never text). Nesting is bounded; a part without its closing
/// boundary ends where the message ends.
public struct MimeBody: Sendable, Equatable {
    public var plain: String?
    public var html: String?
    public var attachments: [String] = []
    /// Parts whose charset iconv did not know, or whose bytes were invalid in it.
    public var inexactCharsets: [String] = []
    /// A multipart without a boundary parameter, or whose boundary never occurs.
    public var brokenStructure = false
    /// Parts past `maxDepth` levels or after part `maxParts` were skipped, so the text may be one of them.
    public var beyondLimits = false

    /// The text dialogd keeps: the plain part, or the HTML part's text.
    public var text: String? { plain ?? html.map(HTMLText.text) }

    static let maxDepth = 20
    static let maxParts = 500

    /// Walks the entity with `headers` whose body is `body` (line ends LF or CRLF).
    public static func parse(headers: MailHeaders, body: ArraySlice<UInt8>) -> MimeBody {
        var result = MimeBody()
        var parts = 0
        result.walk(headers: headers, body: body, depth: 0, parts: &parts, defaultType: "text/plain")
        return result
    }

    mutating func walk(headers: MailHeaders, body: ArraySlice<UInt8>, depth: Int, parts: inout Int, defaultType: String) {
        parts += 1
        guard depth <= Self.maxDepth, parts <= Self.maxParts else {
            beyondLimits = true
            return
        }
        let contentType = headers.text("content-type").map(MimeType.init)
        var type = contentType?.value ?? defaultType
        if !type.contains("/") { type = "text/plain" }  // RFC 2045 §5.2: a broken type is text/plain
        let disposition = headers.text("content-disposition").map(MimeType.init)
        let isAttachment = disposition?.value == "attachment"
        let name = (disposition?.parameters["filename"] ?? contentType?.parameters["name"]).map {
            EncodedWords.decode(Array($0.utf8)).trimmingWhitespace()
        }
        if type.hasPrefix("multipart/") {
            guard let boundary = contentType?.parameters["boundary"], !boundary.isEmpty else {
                brokenStructure = true
                return
            }
            let sections = Self.split(body, boundary: Array(boundary.utf8))
            if sections.isEmpty { brokenStructure = true }
            let childDefault = type == "multipart/digest" ? "message/rfc822" : "text/plain"
            // multipart/related: only its root part is the body (RFC 2387), like get_body.
            let bodySections = type == "multipart/related" ? Array(sections.prefix(1)) : sections
            for section in bodySections {
                let (h, start) = MailHeaders.parse(section)
                walk(headers: h, body: section[start...], depth: depth + 1, parts: &parts, defaultType: childDefault)
            }
            if type == "multipart/related" {
                for section in sections.dropFirst() {
                    let (h, _) = MailHeaders.parse(section)
                    let t = h.text("content-type").map(MimeType.init)
                    let d = h.text("content-disposition").map(MimeType.init)
                    if let n = d?.parameters["filename"] ?? t?.parameters["name"] { attachments.append(EncodedWords.decode(Array(n.utf8))) }
                }
            }
            return
        }
        let isText = type == "text/plain" || type == "text/html"
        if isText, !isAttachment, type == "text/plain" ? plain == nil : html == nil {
            let raw = TransferDecoding.decode(body, encoding: headers.text("content-transfer-encoding"))
            let charset = contentType?.parameters["charset"]
            let (decoded, exact) = MailCharset.decode(raw, charset: charset)
            if !exact { inexactCharsets.append(charset ?? "none") }
            var text = decoded.replacingCRLF()
            // An empty part (two boundaries in a row, an empty plain alternative) is no body.
            if text.allSatisfy(\.isWhitespace) { return }
            if type == "text/plain" {
                if contentType?.parameters["format"]?.lowercased() == "flowed" {
                    text = FlowedText.join(text, delSp: contentType?.parameters["delsp"]?.lowercased() == "yes")
                }
                plain = text
            } else {
                html = text
            }
            return
        }
        if isText, !isAttachment { return }  // a second alternative of a kind already taken
        attachments.append(name.flatMap { $0.isEmpty ? nil : $0 } ?? "unnamed \(type)")
    }

    /// The sections between `--boundary` lines, up to `--boundary--` or the end.
    static func split(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> [ArraySlice<UInt8>] {
        var sections: [ArraySlice<UInt8>] = []
        var sectionStart: Int? = nil
        var i = body.startIndex
        let end = body.endIndex
        while i < end {
            var e = i
            while e < end, body[e] != 0x0A { e += 1 }
            let next = min(e + 1, end)
            if body[i] == 0x2D, e - i >= boundary.count + 2, body[i + 1] == 0x2D,
               body[(i + 2)..<(i + 2 + boundary.count)].elementsEqual(boundary) {
                let rest = body[(i + 2 + boundary.count)..<e]
                let closing = rest.starts(with: [0x2D, 0x2D])
                if closing || rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    if let s = sectionStart {
                        // The line end before a boundary belongs to the boundary.
                        var sEnd = i
                        if sEnd > s, body[sEnd - 1] == 0x0A { sEnd -= 1 }
                        if sEnd > s, body[sEnd - 1] == 0x0D { sEnd -= 1 }
                        sections.append(body[s..<sEnd])
                    }
                    if closing { return sections }
                    sectionStart = next
                }
            }
            i = next
        }
        if let s = sectionStart, s < end { sections.append(body[s..<end]) }
        return sections
    }
}

extension String {
    /// CRLF and lone CR as LF.
    func replacingCRLF() -> String {
        guard utf8.contains(0x0D) else { return self }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for c in unicodeScalars {
            if c == "\r" { out.append("\n"); previousCR = true; continue }
            if c == "\n", previousCR { previousCR = false; continue }
            previousCR = false
            out.append(c)
        }
        return String(out)
    }
}
