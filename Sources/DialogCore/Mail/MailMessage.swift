/// One e-mail decoded for dialogd, before the roster says who is the employee: the headers a
/// record needs and the body's text. Pure: bytes in, values out (docs/spool.md "E-mail").
public struct MailMessage: Sendable, Equatable {
    public var messageID: String?
    public var date: String?
    public var subject: String?
    public var from: [String] = []
    public var sender: [String] = []
    public var to: [String] = []
    public var cc: [String] = []
    /// The thread's first message: the first id of References, else In-Reply-To.
    public var threadRoot: String?
    public var body = MimeBody()
    public var headerCount = 0

    /// Decodes one message. A leading mbox `From ` line is skipped, so a message saved from an
    /// mbox reads as an `.eml` too.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> MailMessage {
        var start = bytes.startIndex
        if bytes.starts(with: Array("From ".utf8)) {
            start = bytes[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.endIndex
        }
        let (headers, bodyStart) = MailHeaders.parse(bytes[start...])
        var m = MailMessage()
        m.headerCount = headers.fields.count
        m.messageID = headers.text("message-id").flatMap { Self.ids($0).first }
        m.date = headers.text("date").flatMap { $0.isEmpty ? nil : $0 }
        m.subject = headers.decoded("subject")
        m.from = headers.texts("from").flatMap(MailAddresses.parse)
        m.sender = headers.texts("sender").flatMap(MailAddresses.parse)
        m.to = headers.texts("to").flatMap(MailAddresses.parse)
        m.cc = headers.texts("cc").flatMap(MailAddresses.parse)
        m.threadRoot = headers.text("references").flatMap { Self.ids($0).first }
            ?? headers.text("in-reply-to").flatMap { Self.ids($0).first }
        m.body = MimeBody.parse(headers: headers, body: bytes[bodyStart...])
        return m
    }

    /// The message ids in a Message-ID, References or In-Reply-To value, without angle brackets
    /// (a bare id without brackets is taken as written).
    public static func ids(_ value: String) -> [String] {
        var ids: [String] = []
        var current: String? = nil
        for c in value.unicodeScalars {
            if c == "<" { current = ""; continue }
            if c == ">" {
                if let id = current?.trimmingWhitespace(), !id.isEmpty, !id.contains(" ") { ids.append(id) }
                current = nil
                continue
            }
            current?.unicodeScalars.append(c)
        }
        if ids.isEmpty {
            let bare = value.trimmingWhitespace()
            if !bare.isEmpty, !bare.contains(where: { $0 == " " || $0 == "<" || $0 == ">" }) { ids.append(bare) }
        }
        return ids
    }
}
