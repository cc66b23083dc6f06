/// Turns `export` rows (the socket's JSON objects, numbers kept as literals) into CSV records
/// or record-format JSON lines. Pure, so dialogctl streams page by page and tests check bytes.
public enum ExportFormat {
    /// CSV columns in this order, every key this release sends among them, so every export has
    /// the same header (a warehouse's COPY names the columns, docs/warehouse.md); keys a later
    /// daemon sends follow, sorted. `date` is RFC 3339; `date_local` the writer's wall time as
    /// spreadsheets parse it (`2026-11-28 14:05:00`); `cost`, `value`, `net` are decimals for Excel.
    public static let preferredColumns = [
        "id", "key", "external_id", "date", "date_local", "date_unix", "utc_offset", "employee", "channel", "customer",
        "department", "department_source", "department_confidence", "outcome", "outcome_source", "outcome_confidence",
        "sentiment", "sentiment_source", "sentiment_confidence", "department_counted", "outcome_counted",
        "duration_s", "duration_s_counted", "satisfaction", "response_time_s", "currency",
        "value_cents", "cost_cents", "value_cents_counted", "net_cents", "cost", "value", "net",
        "subject", "tags", "text", "extras", "source_file", "source_line", "ingested_at",
        "labels", "raw_channel", "raw_department", "raw_outcome",
        // Issue 19, always: a central's header (shipped copies carry `site_revision`) is a site's.
        "site", "revision", "site_revision",
    ]

    /// The CSV columns for rows like `sample` (the first page).
    public static func columns(sample: [[String: JSONValue]]) -> [String] {
        let known = Set(preferredColumns)
        let more = Set(sample.flatMap(\.keys)).subtracting(known).subtracting(["date"]).sorted()
        return preferredColumns + more
    }

    /// One CSV record for `row`; `delimiter` ";" writes decimals with a comma (German Excel).
    public static func csv(_ row: [String: JSONValue], columns: [String], delimiter: Character) -> String {
        let mark: Character = delimiter == ";" ? "," : "."
        let separator = delimiter.asciiValue ?? UInt8(ascii: ",")
        let cells = columns.map { column -> String in
            switch column {
            case "date": return date(row) ?? ""
            case "date_local": return date(row).map { String($0.prefix(19)).replacingAll("T", with: " ") } ?? ""
            case "date_unix": return row["date"].map(text) ?? ""
            case "cost": return cents(row["cost_cents"]).map { MoneyText.decimal($0, mark: mark) } ?? ""
            case "value": return cents(row["value_cents_counted"]).map { MoneyText.decimal($0, mark: mark) } ?? ""
            case "net": return cents(row["net_cents"]).map { MoneyText.decimal($0, mark: mark) } ?? ""
            default:
                guard let value = row[column] else { return "" }
                if case .number(let n) = value { return mark == "," && column.hasSuffix("_confidence") ? n.replacingAll(".", with: ",") : n }
                return Escape.csvInert(text(value))
            }
        }
        return Escape.csvRecord(cells, delimiter: separator)
    }

    /// One JSON line in the record format of docs/spool.md, which the daemon ingests as it is: the
    /// fields as logged (labels as written — an alias or a value in no vocabulary too —, duration
    /// and value only when the writer gave them, so defaults and derivations apply again). Unless
    /// `recordsOnly`, a `dialogd` object carries the site, revision, key, counted labels with their
    /// sources and the money figures: re-ingested, the line is a shipped copy (docs/spool.md "Many
    /// sites"), counted with these figures and replaced only by a newer revision.
    public static func jsonLine(_ row: [String: JSONValue], currency: String, recordsOnly: Bool) -> String {
        var members: [(String, JSONValue)] = []
        func put(_ name: String, _ value: JSONValue?) { if let value, value != .null { members.append((name, value)) } }
        put("id", row["external_id"])
        put("date", date(row).map(JSONValue.string))
        put("employee", row["employee"])
        put("channel", row["raw_channel"] ?? row["channel"])
        put("customer", row["customer"])
        put("department", row["raw_department"] ?? row["department"])
        put("outcome", row["raw_outcome"] ?? row["outcome"])
        put("duration", cents(row["duration_s"]).map { .string("\($0)s") })
        let valueCurrency = row["currency"].map(text) ?? currency
        put("value", cents(row["value_cents"]).map { .string(MoneyText.decimal($0, mark: ".") + " " + valueCurrency) })
        put("satisfaction", row["satisfaction"])
        put("sentiment", row["sentiment"])
        put("response_time", cents(row["response_time_s"]).map { .string("\($0)s") })
        put("subject", row["subject"])
        put("text", row["text"])
        if case .array(let tags)? = row["tags"], !tags.isEmpty { put("tags", .array(tags)) }
        var names = Set(members.map(\.0) + [ShippedCopy.member])
        if case .array(let extras)? = row["extras"] {
            for case .object(let pair) in extras {
                guard case .string(let name)? = pair.first(where: { $0.key == "name" })?.value,
                      let value = pair.first(where: { $0.key == "value" })?.value, !names.contains(name) else { continue }
                names.insert(name)
                put(name, value)
            }
        }
        if !recordsOnly {
            // `site`, `revision` and `key` make the line a shipped copy (`ShippedCopy`): the
            // revision in the site's own numbering, the key as the site writes it. A row's
            // `channel` is the counted one (`unknown` for none); the line's is as written.
            var inner: [JSONMember] = []
            func add(_ name: String, _ value: JSONValue?) { if let value, value != .null { inner.append(JSONMember(key: name, value: value, line: 0)) } }
            add("site", row["site"])
            add("revision", row["site_revision"].flatMap { $0 == .null ? nil : $0 } ?? row["revision"])
            if case .string(let key)? = row["key"] { add("key", .string(SiteKey.base(key))) }
            add("row_id", row["id"])
            add("channel_counted", row["channel"])
            for name in ["department_counted", "outcome_counted", "duration_s_counted", "cost_cents", "value_cents_counted", "net_cents",
                         "source_file", "source_line", "ingested_at", "department_source", "department_confidence", "outcome_source",
                         "outcome_confidence", "sentiment_source", "sentiment_confidence", "labels"] {
                add(name, row[name])
            }
            members.append((ShippedCopy.member, .object(inner)))
        }
        return JSONValue.object(members.map { JSONMember(key: $0.0, value: $0.1, line: 0) }).serialized + "\n"
    }

    /// The row as a key → value map (the socket's objects have unique keys).
    public static func fields(_ value: JSONValue) -> [String: JSONValue]? {
        guard case .object(let members) = value else { return nil }
        var out: [String: JSONValue] = [:]
        for m in members { out[m.key] = m.value }
        return out
    }

    static func date(_ row: [String: JSONValue]) -> String? {
        guard let seconds = cents(row["date"]) else { return nil }
        let offset = cents(row["utc_offset"]).flatMap { Int32(exactly: $0) } ?? 0
        return RFC3339.string(seconds, offset: offset)
    }

    /// An integer field (cents, seconds).
    static func cents(_ value: JSONValue?) -> Int64? {
        guard case .number(let n)? = value else { return nil }
        return Int64(n)
    }

    /// A cell: strings as they are, lists of names joined by ", ", name/value pairs as
    /// `name=value; …`, anything else as compact JSON.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s): return s
        case .array(let items):
            if items.allSatisfy({ if case .string = $0 { true } else { false } }) { return items.map(text).joined(separator: ", ") }
            let pairs = items.compactMap { item -> String? in
                guard let f = fields(item), f.count == 2, let n = f["name"], let v = f["value"] else { return nil }
                return text(n) + "=" + text(v)
            }
            return pairs.count == items.count ? pairs.joined(separator: "; ") : value.serialized
        case .object: return value.serialized
        }
    }
}
