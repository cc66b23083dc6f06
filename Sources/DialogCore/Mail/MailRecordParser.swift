/// One e-mail message as one record (docs/spool.md "E-mail"): the id is the Message-ID, the
/// employee the first roster match among From, Sender, To and Cc, the customer the other side's
/// first address, the text the body without quoted history.
enum MailRecordParser {
    /// `line` is where the message starts in its file (1 for an `.eml`); `inMbox`: one of an `.mbox`'s messages.
    static func parseRecord(_ bytes: ArraySlice<UInt8>, line: Int, settings: ParseSettings, inMbox: Bool = false) throws(RecordRejection) -> ParsedRecord {
        let message = MailMessage.parse(bytes)
        guard message.headerCount > 0 else {
            throw RecordRejection(line: line, expected: "an e-mail message starting with header lines like `From: anna@example.com`")
        }
        guard let date = message.date else {
            throw RecordRejection(line: line, field: "Date", expected: "a Date header saying when the mail was sent (this message has none; save it again from the mail program, or write a .conv file with a date)")
        }
        let (employee, customer) = try people(message, line: line, settings: settings, inMbox: inMbox)
        var builder = RecordBuilder(settings: settings)
        let key = { (f: Field) in FieldKey.known(f) }
        if let id = message.messageID, FieldValues.isToken(id, maxCharacters: 200) { try builder.add(key(.id), .text(id), line: line) }
        try builder.add(key(.date), .text(date), line: line)
        try builder.add(key(.employee), .text(employee), line: line)
        try builder.add(key(.channel), .text("email"), line: line)
        if let customer { try builder.add(key(.customer), .text(customer), line: line) }
        if let subject = message.subject, !subject.isEmpty { try builder.add(key(.subject), .text(cut(subject, settings.maxFieldBytes)), line: line) }
        if let text = message.body.text {
            let stripped = QuotedHistory.strip(text)
            if !stripped.text.isEmpty { try builder.add(key(.text), .text(stripped.text), line: line) }
        }
        if let thread = message.threadRoot ?? message.messageID {
            try builder.add(.extra("thread"), .text(cut(thread, 998)), line: line)
        }
        if !message.body.attachments.isEmpty {
            try builder.add(.extra("attachments"), .text(cut(message.body.attachments.joined(separator: ", "), settings.maxFieldBytes)), line: line)
        }
        let record = try builder.finish(recordLine: line)
        var warnings = builder.notes
        if message.messageID == nil { warnings.append("line \(line): no Message-ID; the message is known by its content") }
        if message.body.brokenStructure { warnings.append("line \(line): a multipart body without its boundary; parts may be missing") }
        if message.body.beyondLimits {
            warnings.append("line \(line): parts nested deeper than \(MimeBody.maxDepth) levels or after part \(MimeBody.maxParts) were skipped; parts may be missing")
        }
        if let charset = message.body.inexactCharsets.first {
            warnings.append("line \(line): text in charset \"\(charset)\" had bytes iconv could not read; they show as U+FFFD")
        }
        return ParsedRecord(line: line, record: record, warnings: warnings)
    }

    /// The employee (the first roster match among From, Sender, To, Cc) and the customer (the
    /// first address of the other side that is not an employee's).
    /// An `.mbox` with a refused message goes to cur/ with its good ones, so `retry` cannot find it:
    /// its reason says to drop the file again, which is safe (its stored messages are duplicates).
    static func people(_ m: MailMessage, line: Int, settings: ParseSettings, inMbox: Bool = false) throws(RecordRejection) -> (String, String?) {
        let seen = m.from + m.sender + m.to + m.cc
        guard let roster = settings.roster else {
            throw RecordRejection(line: line, expected: "a roster to tell the employee among the mail's addresses (none is configured: set [roster] path in dialogd.conf, see dialogd.conf(5))",
                                  found: seen.isEmpty ? "<no addresses>" : "<\(list(seen))>")
        }
        let writers = m.from + m.sender
        for (k, address) in seen.enumerated() {
            guard let entry = roster.entry(forAddress: address) else { continue }
            let otherSide = k < writers.count ? m.to + m.cc : m.from + m.sender
            let customer = otherSide.first { roster.entry(forAddress: $0) == nil }
            return (entry.employee, customer)
        }
        let then = inMbox
            ? "drop \(settings.fileName ?? "the .mbox file") into the spool again (its messages already stored are duplicates, not stored twice; `dialogctl retry` it instead if the whole file is in quarantine/), or save this message as an .eml and drop that"
            : "`dialogctl retry` the file"
        throw RecordRejection(
            line: line, field: "From",
            expected: "an employee's address among From, Sender, To and Cc (none of \(list(seen)) is in the roster \(roster.source)); add it to that employee's addresses column and run `dialogctl reload`, then \(then)",
            found: seen.isEmpty ? "<no addresses>" : nil)
    }

    static func list(_ addresses: [String]) -> String {
        let shown = addresses.prefix(8).joined(separator: ", ")
        return addresses.count > 8 ? shown + " and \(addresses.count - 8) more" : shown
    }

    /// At most `limit` bytes, cut on a scalar boundary.
    static func cut(_ s: String, _ limit: Int) -> String {
        guard s.utf8.count > limit else { return s }
        var out = String.UnicodeScalarView()
        var bytes = 0
        for c in s.unicodeScalars {
            bytes += String(c).utf8.count
            if bytes > limit - 3 { break }
            out.append(c)
        }
        return String(out) + "…"
    }
}
