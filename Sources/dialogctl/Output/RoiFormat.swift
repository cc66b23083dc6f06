import DialogCore

/// Human renderings shared by the ROI subcommands.
enum RoiFormat {
    static func window(_ span: TimeSpan) -> String {
        "\(Format.date(span.since, offset: 0)) – \(Format.date(span.until, offset: 0))"
    }

    /// (now − before) / |before|; nil when before is 0.
    static func trend(_ now: Int64, _ before: Int64) -> Double? {
        before == 0 ? nil : Double(now - before) / Double(abs(before))
    }

    static let figureHeaders = ["CONVERSATIONS", "MINUTES", "COST", "VALUE", "NET", "ROI"]

    static func figureCells(_ f: RoiFigures, _ n: Numbers) -> [String] {
        [String(f.conversations), String(f.minutes), n.money(f.costCents), n.money(f.valueCents), n.money(f.netCents), n.percent(f.roi)]
    }
}
