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

    /// A lookback or half-life: `90 days`, `1 day`, `36 hours`.
    static func length(_ seconds: Int64) -> String {
        if seconds % 86_400 == 0 { return seconds == 86_400 ? "1 day" : "\(seconds / 86_400) days" }
        return seconds == 3600 ? "1 hour" : "\(seconds / 3600) hours"
    }

    /// The attribution model as people read it: `linear, lookback 90 days` (and the half-life).
    static func model(_ r: OrderRevenue) -> String {
        var text = r.model + ", lookback " + length(r.lookbackSeconds)
        if let h = r.halfLifeSeconds { text += ", half-life " + length(h) }
        return text + (r.stale ? "; " + AttributionConfig.staleWording + ", run `dialogctl recompute`" : "")
    }

    /// The executive lines on order revenue (issue 14): attributed revenue with its model, the
    /// two ROIs side by side, the revenue no conversation preceded. Only where it applies.
    static func orderRevenueLines(_ r: OrderRevenue?, loggedRoi: Double?, window: TimeSpan, _ n: Numbers) -> [(String, String)] {
        guard let r else { return [] }
        guard r.hasOrders else {
            return [("order revenue", "- (no orders stored: feed orders to compare, docs/spool.md \"Orders\")")]
        }
        var lines = [("order revenue", n.money(r.attributedCents ?? 0) + " attributed (" + model(r) + ")")]
        let onRevenue = r.roi.map(n.percent) ?? ((r.ordersInWindow ?? 0) == 0 ? "- (no orders in the window)" : "-")
        lines.append(("roi side by side", n.percent(loggedRoi) + " on logged value, " + onRevenue + " on attributed revenue"))
        if (r.ordersInWindow ?? 0) > 0 { lines.append(("revenue basis", revenueBasis(r, window: window))) }
        if let orders = r.ordersCents, let unattributed = r.unattributedCents {
            let share = r.unattributedShare.map { " (\(n.percent($0)))" } ?? ""
            lines.append(("no conversation before", n.money(unattributed) + share + " of " + n.money(orders)
                          + " order revenue from \(r.ordersInWindow ?? 0) order(s)"))
        }
        return lines
    }

    /// What the ROI on attributed revenue sets against what (docs/roi.md "What ROI on attributed
    /// revenue compares"): the window's orders, whose touches reach a lookback back, against the
    /// window's conversations' cost; a window shorter than the lookback is said to be.
    static func revenueBasis(_ r: OrderRevenue, window: TimeSpan) -> String {
        var text = "orders dated in the window, credited to conversations up to " + length(r.lookbackSeconds)
            + " before them, against the cost of the window's conversations"
        if window.until - window.since < r.lookbackSeconds {
            text += "; the window is shorter than the lookback: credit of conversations before it counts, their cost does not"
                + " (compare over " + length(r.lookbackSeconds) + " or more)"
        }
        return text
    }

    /// A customer conversion for people: `40.0% (2 of 5 customers ordered within 90 days)`.
    static func conversion(_ c: CustomerConversion?, _ n: Numbers) -> String {
        guard let c else { return "-" }
        guard c.hasOrders, let customers = c.customers, let ordered = c.ordered else { return "- (no orders stored)" }
        guard customers > 0 else { return "- (no conversation names a customer)" }
        return n.percent(c.rate) + " (\(ordered) of \(customers) customers ordered within " + length(c.lookbackSeconds) + " after)"
    }
}
