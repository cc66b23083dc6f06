/// Dated reports in one directory (`report-YYYY-MM-DD.html`), of which the newest N are kept.
public enum ReportArchive {
    public static func fileName(at seconds: Int64) -> String {
        "report-" + RFC3339.string(seconds, offset: 0).prefix(10) + ".html"
    }

    /// The names to delete so that `keep` dated reports remain; other files are never touched.
    public static func expired(_ names: [String], keep: Int) -> [String] {
        let reports = names.filter(isReport).sorted()
        return Array(reports.dropLast(max(0, keep)))
    }

    static func isReport(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard b.count == 22, name.hasPrefix("report-"), name.hasSuffix(".html") else { return false }
        return [7, 8, 9, 10, 12, 13, 15, 16].allSatisfy { (0x30...0x39).contains(b[$0]) } && b[11] == 0x2D && b[14] == 0x2D
    }
}
