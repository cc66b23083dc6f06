import DialogCore

/// Aligned plain-text columns for people; counts and money right-aligned so digits line up.
struct Table {
    private let headers: [String]
    private let rightAligned: Set<Int>
    private var rows: [[String]] = []

    init(_ headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers.map { Escape.terminal($0) }
        self.rightAligned = rightAligned
    }

    /// Cells are stored text: every control shows (`\n` too, so a cell cannot forge a row).
    mutating func add(_ row: [String]) { rows.append(row.map { Escape.terminal($0) }) }

    func render() -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { column in
                let cell = row[column]
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                if column == row.count - 1, !rightAligned.contains(column) { return cell }
                return rightAligned.contains(column) ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// `label:  value` lines with the values aligned.
    static func keyValue(_ pairs: [(String, String)]) -> String {
        let pairs = pairs.map { (Escape.terminal($0.0), Escape.terminal($0.1)) }
        let width = (pairs.map { $0.0.count }.max() ?? 0) + 1
        return pairs.map { label, value in
            (label + ":").padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value
        }.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(toLength length: Int, withPad pad: String, startingAt: Int) -> String {
        count >= length ? self : self + String(repeating: pad, count: length - count)
    }
}
