import DialogCore

/// How `list` and `show` present a label the figures count next to the one the record wrote:
/// the counted one first, the written one only where it differs. `written` is whatever the
/// writer typed (a raw value that matched no label fits here too), nil when nothing was.
enum CountedLabel {
    /// A `list` cell: the counted label, with `*` when the record wrote something else, or
    /// nothing and the label came from elsewhere.
    static func cell(counted: String?, written: String?) -> String {
        guard let counted else { return written ?? "-" }
        return counted == written || (written == nil && none.contains(counted)) ? counted : counted + "*"
    }

    /// The counted labels for "none".
    static let none: Set<String> = ["unassigned", "unclassified"]

    static let footnote = "* counted differently from what was written (classified, implied by the outcome or relabelled); `dialogctl show <id>` has both"

    /// A `show` line: `marketing (by review; written: sales)`.
    static func line(counted: String?, written: String?, label: StoredLabel?) -> String {
        guard let counted else { return written ?? "-" }
        var notes: [String] = []
        if let label, label.source != .logged {
            let percent = "\(Int((label.confidence * 100).rounded())) %"
            switch (label.source, label.label) {
            case (.review, _): notes.append("by review")
            case (_, nil): notes.append("awaits review: \(label.source.rawValue) \(percent)")
            default: notes.append("by \(label.source.rawValue) \(percent)")
            }
        }
        if let written, written != counted { notes.append("written: \(written)") }
        return notes.isEmpty ? counted : counted + " (" + notes.joined(separator: "; ") + ")"
    }
}
