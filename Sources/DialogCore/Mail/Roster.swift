/// Who is an employee (docs/spool.md "The roster"): the CSV `employee,department,addresses`
/// (`addresses`: e-mail addresses, `@handles` and phone numbers separated by spaces) and an
/// optional `account` column (Unix login names or uids whose dropped files are that employee's).
/// Pure: the daemon reads the file and resolves login names to uids (`resolvingAccounts`).
public struct Roster: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var employee: String
        public var department: String?
        public var addresses: [String]
        public var accounts: [String]
        public var line: Int
    }

    public var entries: [Entry] = []
    /// Where the roster was read from, for the messages that tell how to add someone.
    public var source: String
    private var byAddress: [String: Int] = [:]
    private var byEmployee: [String: Int] = [:]
    private var byUID: [UInt32: Int] = [:]

    public init(source: String) { self.source = source }

    /// The employee one address (any kind) belongs to.
    public func entry(forAddress address: String) -> Entry? {
        byAddress[Self.normalized(address)].map { entries[$0] }
    }

    /// The roster entry of an employee by name (case-insensitive).
    public func entry(forEmployee name: String) -> Entry? {
        byEmployee[name.trimmingWhitespace().lowercased()].map { entries[$0] }
    }

    /// The employee whose Unix account has `uid` (after `resolvingAccounts`, or a numeric account).
    public func employee(forUID uid: UInt32) -> String? {
        byUID[uid].map { entries[$0].employee }
    }

    /// E-mail addresses and handles lowercased; a phone number as `+` and digits only.
    public static func normalized(_ address: String) -> String {
        let t = address.trimmingWhitespace()
        let phoneChars = t.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || "+-/() .".unicodeScalars.contains($0) }
        if phoneChars, t.unicodeScalars.contains(where: { ("0"..."9").contains($0) }) {
            var out = String.UnicodeScalarView()
            for c in t.unicodeScalars where ("0"..."9").contains(c) || (c == "+" && out.isEmpty) { out.append(c) }
            return String(out)
        }
        return t.lowercased()
    }

    /// Parses the roster's text; every problem names its line. `employee` is required; a row with
    /// other columns than the header, a `,` or `;` between addresses, a second row with an address
    /// already taken, or an employee listed twice, is refused.
    public static func parse(_ bytes: [UInt8], source: String) throws(RecordRejection) -> Roster {
        let decoded = try TextDecoding.decode(bytes, foldingLineEnds: false)
        var roster = Roster(source: source)
        let rows: [CSVRow] = try decoded.bytes.withUnsafeBufferPointer { b throws(RecordRejection) -> [CSVRow] in
            var csv = CSVParser(b)
            csv.detectDelimiter()
            var rows: [CSVRow] = []
            while let row = try csv.nextRow() {
                if !CSVParser.isBlank(row) { rows.append(row) }
            }
            return rows
        }
        guard let header = rows.first else { throw RecordRejection(expected: "a header row `employee,department,addresses`") }
        let names = header.fields.map { Field.normalize($0.text) }
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }
        guard let employeeColumn = column("employee") else {
            throw RecordRejection(line: header.line, expected: "a column `employee` (the header row names employee,department,addresses)",
                                  found: header.fields.map(\.text).joined(separator: ","))
        }
        let departmentColumn = column("department")
        let addressColumn = column("addresses") ?? column("address")
        let accountColumn = column("account") ?? column("accounts")
        for (k, name) in names.enumerated() where ![employeeColumn, departmentColumn, addressColumn, accountColumn].contains(k) && !name.isEmpty {
            throw RecordRejection(line: header.line, field: header.fields[k].text, expected: "the columns employee, department, addresses and account")
        }
        for row in rows.dropFirst() {
            // A row split otherwise than the header (`;` in a comma file, an unquoted comma) would
            // load with its addresses in the wrong column or lost: refuse it, like the header.
            guard row.fields.count == header.fields.count else {
                throw RecordRejection(line: row.line, expected: "\(header.fields.count) columns like the header (\(header.fields.map(\.text).joined(separator: ","))), addresses separated by spaces",
                                      found: "\(row.fields.count) column\(row.fields.count == 1 ? "" : "s")")
            }
            func cell(_ k: Int?) -> String { k.flatMap { $0 < row.fields.count ? row.fields[$0].text.trimmingWhitespace() : nil } ?? "" }
            let employee = cell(employeeColumn)
            guard !employee.isEmpty else { throw RecordRejection(line: row.line, field: "employee", expected: "the employee's name") }
            guard !FieldValues.hasControl(employee), !FieldValues.hasInvisible(employee), employee.unicodeScalars.count <= 200 else {
                throw RecordRejection(line: row.line, field: "employee", expected: "a name of at most 200 characters without control or invisible characters", found: employee)
            }
            let key = employee.lowercased()
            if let first = roster.byEmployee[key] {
                throw RecordRejection(line: row.line, field: "employee", expected: "each employee once (already on line \(roster.entries[first].line))", found: employee)
            }
            let department = cell(departmentColumn)
            for (name, k) in [("addresses", addressColumn), ("account", accountColumn)] where cell(k).contains(where: { $0 == "," || $0 == ";" }) {
                throw RecordRejection(line: row.line, field: name, expected: "\(name == "account" ? "accounts" : name) separated by spaces", found: cell(k))
            }
            let addresses = cell(addressColumn).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let accounts = cell(accountColumn).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let index = roster.entries.count
            for address in addresses {
                let a = normalized(address)
                if let other = roster.byAddress[a] {
                    throw RecordRejection(line: row.line, field: "addresses", expected: "each address for one employee only (\(roster.entries[other].employee), line \(roster.entries[other].line), has it too)", found: address)
                }
                roster.byAddress[a] = index
            }
            for account in accounts {
                if let uid = UInt32(account) { roster.byUID[uid] = index }
            }
            roster.byEmployee[key] = index
            roster.entries.append(Entry(employee: employee, department: department.isEmpty ? nil : department,
                                        addresses: addresses, accounts: accounts, line: row.line))
        }
        return roster
    }

    /// Adds the uids of login-name accounts (`uid(name)` asks the system); a name it does not
    /// know is returned so the daemon can warn.
    public mutating func resolvingAccounts(_ uid: (String) -> UInt32?) -> [String] {
        var unknown: [String] = []
        for (index, entry) in entries.enumerated() {
            for account in entry.accounts where UInt32(account) == nil {
                if let u = uid(account) { byUID[u] = index } else { unknown.append("\(account) (line \(entry.line))") }
            }
        }
        return unknown
    }
}
