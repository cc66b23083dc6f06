/// Everything a mail carries, decoded, for `forget`'s spool side (docs/roi.md "Erasure"): a
/// mention in a base64 attachment, the HTML alternative, an RFC 2047 header or an attachment's
/// file name is no plain text the in-place blanking reaches, so such a file must go whole.
public enum MailMentions {
    /// Whether any decoded form of the `.eml`/`.mbox` `bytes` names the identity: every header
    /// value (encoded words undone), every leaf part's body (transfer encoding and charset undone;
    /// HTML also with character references undone), and file names, where the identity counts
    /// as a substring too (`alice@example.com.vcf`).
    public static func names(_ mentions: IdentityMentions, in bytes: [UInt8]) -> Bool {
        let needle = Array(mentions.identity.lowercased().utf8)
        var found = false
        forEachText(in: bytes) { text, isName in
            if found { return }
            if mentions.isMentioned(in: text) { found = true }
            if isName, !needle.isEmpty, RecordErasure.containsFolded(Array(text.utf8)[...], needle) { found = true }
        }
        return found
    }

    /// Calls `each` with every decoded text of every message of the `.eml`/`.mbox` `bytes`
    /// (`isName` for file names): what `forget` judges a mail by, and what the re-drop scan asks
    /// the suppression list about (`ForgottenMentionScan.feedMail`), so both decode alike.
    public static func forEachText(in bytes: [UInt8], _ each: (String, Bool) -> Void) {
        for message in messages(bytes[...]) {
            var parts = 0
            walk(message, depth: 0, parts: &parts, each)
        }
    }

    /// The messages of an mbox (split at its `From ` lines), or the one message of an `.eml`.
    static func messages(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        while let next = MboxMessages.nextSeparator(bytes, from: start + 1) {
            out.append(bytes[start..<next])
            start = next
        }
        out.append(bytes[start...])
        return out
    }

    /// Calls `each` with every decoded text of one entity; `isName` for file names.
    static func walk(_ entity: ArraySlice<UInt8>, depth: Int, parts: inout Int, _ each: (String, Bool) -> Void) {
        parts += 1
        // Beyond the reader's own limits the raw bytes are judged (never skipped silently).
        guard depth <= MimeBody.maxDepth, parts <= MimeBody.maxParts else {
            each(MailCharset.fallback(Array(entity)), false)
            return
        }
        var start = entity.startIndex
        if entity.starts(with: Array("From ".utf8)) {
            start = entity[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? entity.endIndex
        }
        let (headers, bodyStart) = MailHeaders.parse(entity[start...])
        for field in headers.fields { each(EncodedWords.decode(field.value), false) }
        let contentType = headers.text("content-type").map(MimeType.init)
        let disposition = headers.text("content-disposition").map(MimeType.init)
        for name in [disposition?.parameters["filename"], contentType?.parameters["name"]].compactMap({ $0 }) {
            each(EncodedWords.decode(Array(name.utf8)), true)
        }
        let body = entity[bodyStart...]
        let type = contentType?.value ?? "text/plain"
        if type.hasPrefix("multipart/"), let boundary = contentType?.parameters["boundary"], !boundary.isEmpty {
            for section in MimeBody.split(body, boundary: Array(boundary.utf8)) {
                walk(section, depth: depth + 1, parts: &parts, each)
            }
            // Text outside the sections (preamble, epilogue) is read as written.
            each(MailCharset.fallback(Array(body)), false)
            return
        }
        if type == "message/rfc822" { walk(body, depth: depth + 1, parts: &parts, each) }
        let raw = TransferDecoding.decode(body, encoding: headers.text("content-transfer-encoding"))
        let text = MailCharset.decode(raw, charset: contentType?.parameters["charset"]).text
        each(text, false)
        each(MailCharset.fallback(raw), false)
        // Character references undone anywhere (attributes too: `mailto:alice&#64;…`), whatever the part's type.
        each(unescapingReferences(text), false)
        if type == "text/html" { each(HTMLText.text(text), false) }
    }

    /// `text` with every HTML character reference replaced by its scalar.
    static func unescapingReferences(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            if s[i] == "&" {
                let (scalar, used) = HTMLText.entity(s, i)
                if let scalar, used > 0 {
                    out.append(scalar)
                    i += used
                    continue
                }
            }
            out.append(s[i])
            i += 1
        }
        return String(out)
    }
}
