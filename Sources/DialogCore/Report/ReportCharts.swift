/// The page's inline SVG charts. Coordinates are computed here; colours come from the CSS
/// classes in `ReportStyle`, so print and screen share one look.
struct ReportCharts {
    let f: ReportFormatter
    let text: ReportText

    /// Three stacked levels of a triangle with each level's headline figures beside it.
    func pyramid(_ p: Pyramid) -> String {
        let e = p.executive.figures, pr = p.practitioners
        let apex = (x: 170.0, y: 8.0), base = 232.0, half = 160.0
        func width(_ y: Double) -> Double { half * (y - apex.y) / (base - apex.y) }
        let cuts = [apex.y, 82.0, 157.0, base]
        let levels: [(String, String, String)] = [
            ("lvl1", text.executive, text.executiveHint), ("lvl2", text.managers, text.managersHint),
            ("lvl3", text.practitioners, text.practitionersHint),
        ]
        var svg = "<svg class=\"chart pyramid\" viewBox=\"0 0 760 240\" role=\"img\" aria-label=\"\(Escape.htmlAttribute(text.pyramid))\">"
        for (k, level) in levels.enumerated() {
            let y0 = cuts[k], y1 = cuts[k + 1]
            let points = k == 0
                ? "\(apex.x),\(y0) \(apex.x + width(y1)),\(y1 - 3) \(apex.x - width(y1)),\(y1 - 3)"
                : "\(apex.x - width(y0)),\(y0) \(apex.x + width(y0)),\(y0) \(apex.x + width(y1)),\(y1 - 3) \(apex.x - width(y1)),\(y1 - 3)"
            svg += "<polygon class=\"\(level.0)\" points=\"\(points)\"/>"
            let mid = k == 0 ? y1 - 16 : (y0 + y1) / 2 + 4
            svg += "<text class=\"lvl-label\" x=\"\(apex.x)\" y=\"\(mid)\" text-anchor=\"middle\">\(Escape.htmlText(text.levelWords[k]))</text>"
            svg += "<line class=\"leader\" x1=\"\(apex.x + width(y1) * 0.5 + 30)\" y1=\"\((y0 + y1) / 2)\" x2=\"372\" y2=\"\((y0 + y1) / 2)\"/>"
            svg += "<text class=\"lvl-hint\" x=\"380\" y=\"\(y0 + 20)\">\(Escape.htmlText(level.1.uppercased())) · \(Escape.htmlText(level.2))</text>"
        }
        // Executive
        svg += "<text class=\"lvl-fig\" x=\"380\" y=\"50\">\(Escape.htmlText(text.net)) \(f.moneyFigure("executive.figures.net_cents", e.netCents).tspan)"
            + "  ·  ROI \(f.ratioFigure("executive.figures.roi", e.roi).tspan)</text>"
        svg += "<text class=\"lvl-sub\" x=\"380\" y=\"68\">\(Escape.htmlText(text.value)) \(f.moneyFigure("executive.figures.value_cents", e.valueCents).tspan)"
            + "  −  \(Escape.htmlText(text.cost)) \(f.moneyFigure("executive.figures.cost_cents", e.costCents).tspan)</text>"
        // Managers: the departments by net value, best first.
        let ranked = p.executive.valueByDepartment.sorted { $0.figures.netCents > $1.figures.netCents }.prefix(3)
        var line = 0
        for row in ranked {
            let index = p.executive.valueByDepartment.firstIndex(of: row) ?? 0
            svg += "<text class=\"lvl-sub\" x=\"380\" y=\"\(118 + line * 15)\">\(Escape.htmlText(text.label(row.key))): \(Escape.htmlText(text.netShort)) "
                + f.moneyFigure("executive.value_by_department.\(index).net_cents", row.figures.netCents).tspan
                + ", ROI " + f.ratioFigure("executive.value_by_department.\(index).roi", row.figures.roi).tspan + "</text>"
            line += 1
        }
        if ranked.isEmpty { svg += "<text class=\"lvl-sub\" x=\"380\" y=\"118\">\(Escape.htmlText(text.noData))</text>" }
        // Practitioners
        svg += "<text class=\"lvl-fig\" x=\"380\" y=\"198\">\(f.countFigure("executive.figures.conversations", e.conversations).tspan) \(Escape.htmlText(text.conversationsWord))"
            + "  ·  \(f.countFigure("executive.figures.minutes", e.minutes).tspan) \(Escape.htmlText(text.minutesWord))</text>"
        svg += "<text class=\"lvl-sub\" x=\"380\" y=\"216\">\(Escape.htmlText(text.sentiment)) \(f.ratioFigure("practitioners.sentiment.positive_share", pr.sentiment.positiveShare).tspan)"
            + "  ·  \(f.countFigure("practitioners.awaiting_review", pr.awaitingReview).tspan) \(Escape.htmlText(text.awaitingReview))</text>"
        return svg + "</svg>"
    }

    /// Net value (area and line, left axis) and ROI (dashed line, right axis) per period.
    func trend(_ periods: [ReportData.Period]) -> String {
        let w = 760.0, h = 250.0, left = 78.0, right = 62.0, top = 16.0, bottom = 40.0
        let plotW = w - left - right, plotH = h - top - bottom
        guard !periods.isEmpty else { return "<p class=\"empty\">\(Escape.htmlText(text.noData))</p>" }
        let nets = periods.map { Double($0.figures.netCents) }
        let netTicks = Self.ticks(min(0, nets.min() ?? 0), max(0, nets.max() ?? 0))
        let rois = periods.compactMap(\.figures.roi)
        let roiTicks = Self.ticks(min(0, rois.min() ?? 0), max(0, rois.max() ?? 1))
        func x(_ i: Int) -> Double { left + (periods.count == 1 ? plotW / 2 : plotW * Double(i) / Double(periods.count - 1)) }
        func y(_ v: Double, _ t: [Double]) -> Double {
            let lo = t.first ?? 0, hi = t.last ?? 1
            return top + plotH * (1 - (v - lo) / (hi - lo == 0 ? 1 : hi - lo))
        }
        var svg = "<svg class=\"chart trend\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"\(Escape.htmlAttribute(text.trendTitle))\">"
        for t in netTicks {
            let yy = Self.r(y(t, netTicks))
            svg += "<line class=\"\(t == 0 ? "zero" : "grid")\" x1=\"\(left)\" y1=\"\(yy)\" x2=\"\(w - right)\" y2=\"\(yy)\"/>"
            svg += "<text class=\"axis\" x=\"\(left - 6)\" y=\"\(yy + 4)\" text-anchor=\"end\">\(Escape.htmlText(f.axisMoney(Int64(t))))</text>"
        }
        for t in roiTicks {
            svg += "<text class=\"axis roi-axis\" x=\"\(w - right + 6)\" y=\"\(Self.r(y(t, roiTicks)) + 4)\">\(Escape.htmlText(f.percent(t)))</text>"
        }
        let zero = Self.r(y(0, netTicks))
        let line = periods.indices.map { "\(Self.r(x($0))),\(Self.r(y(nets[$0], netTicks)))" }
        svg += "<polygon class=\"net-area\" points=\"\(Self.r(x(0))),\(zero) \(line.joined(separator: " ")) \(Self.r(x(periods.count - 1))),\(zero)\"/>"
        svg += "<polyline class=\"net-line\" points=\"\(line.joined(separator: " "))\"/>"
        // ROI: a dashed line, broken where a period had no cost.
        var segment: [String] = []
        var segments: [[String]] = []
        for (i, p) in periods.enumerated() {
            if let roi = p.figures.roi { segment.append("\(Self.r(x(i))),\(Self.r(y(roi, roiTicks)))") } else if !segment.isEmpty { segments.append(segment); segment = [] }
        }
        if !segment.isEmpty { segments.append(segment) }
        for s in segments { svg += "<polyline class=\"roi-line\" points=\"\(s.joined(separator: " "))\"/>" }
        for (i, p) in periods.enumerated() {
            let cx = Self.r(x(i))
            svg += "<circle class=\"net-dot\" cx=\"\(cx)\" cy=\"\(Self.r(y(nets[i], netTicks)))\" r=\"3.2\"><title>\(Escape.htmlText(p.span.map(f.span) ?? p.key ?? ""))</title></circle>"
            if let roi = p.figures.roi { svg += "<circle class=\"roi-dot\" cx=\"\(cx)\" cy=\"\(Self.r(y(roi, roiTicks)))\" r=\"2.6\"/>" }
            if i % 2 == (periods.count - 1) % 2 {
                svg += "<text class=\"axis\" x=\"\(cx)\" y=\"\(h - bottom + 16)\" text-anchor=\"middle\">\(Escape.htmlText(p.span.map { f.day($0.until - 1, year: false) } ?? p.key ?? ""))</text>"
            }
        }
        let last = periods[periods.count - 1]
        let lx = Self.r(x(periods.count - 1)), ly = Self.r(y(nets[periods.count - 1], netTicks))
        svg += "<text class=\"point-label\" x=\"\(lx - 8)\" y=\"\(ly - 9)\" text-anchor=\"end\">"
            + f.moneyFigure("periods.\(periods.count - 1).net_cents", last.figures.netCents).tspan + "</text>"
        svg += "<text class=\"legend\" x=\"\(left)\" y=\"\(h - 6)\"><tspan class=\"key-net\">━ \(Escape.htmlText(text.net))</tspan>"
            + "<tspan dx=\"18\" class=\"key-roi\">╍ ROI</tspan><tspan dx=\"18\" class=\"axis\">\(Escape.htmlText(text.pointCovers(last.span)))</tspan></text>"
        return svg + "</svg>"
    }

    /// Two bars per department: value and cost, on one scale.
    func departments(_ rows: [RoiRow]) -> String {
        valueAgainstCost(rows, title: text.departmentsTitle) { i, _, kind in "executive.value_by_department.\(i).\(kind)_cents" }
    }

    /// Value and cost bars of each site (`report --by site` on a central daemon).
    func sites(_ rows: [RoiRow]) -> String {
        valueAgainstCost(rows, title: text.sitesTitle) { i, _, kind in "executive.value_by_site.\(i).\(kind)_cents" }
    }

    /// Value and cost bars of each channel group (the report's first question, issue 18).
    func channelGroups(_ rows: [RoiRow]) -> String {
        valueAgainstCost(rows, title: text.socialTitle) { _, key, kind in "channel_groups.\(key).\(kind)_cents" }
    }

    /// Two bars per row, value over cost, on one scale; `figureKey(index, key, kind)` tags them.
    func valueAgainstCost(_ rows: [RoiRow], title: String, figureKey: (Int, String, String) -> String) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\">\(Escape.htmlText(text.noData))</p>" }
        let rowH = 46.0, labelW = 130.0, barMax = 470.0
        let top = Double(max(1, rows.map { max($0.figures.valueCents, $0.figures.costCents) }.max() ?? 1))
        var svg = "<svg class=\"chart bars\" viewBox=\"0 0 760 \(Int(Double(rows.count) * rowH + 24))\" role=\"img\" aria-label=\"\(Escape.htmlAttribute(title))\">"
        for (i, row) in rows.enumerated() {
            let y0 = Double(i) * rowH + 6
            svg += "<text class=\"bar-label\" x=\"0\" y=\"\(y0 + 22)\">\(Escape.htmlText(text.label(row.key)))</text>"
            for (j, (kind, cents)) in [("value", row.figures.valueCents), ("cost", row.figures.costCents)].enumerated() {
                let length = max(1.5, barMax * Double(max(0, cents)) / top)
                let by = y0 + Double(j) * 17
                svg += "<rect class=\"bar-\(kind)\" x=\"\(labelW)\" y=\"\(by)\" width=\"\(Self.r(length))\" height=\"14\" rx=\"2\"/>"
                svg += "<text class=\"bar-value\" x=\"\(Self.r(labelW + length + 6))\" y=\"\(by + 11)\">"
                    + f.moneyFigure(figureKey(i, row.key, kind), cents).tspan + "</text>"
            }
        }
        let ly = Double(rows.count) * rowH + 18
        svg += "<rect class=\"bar-value\" x=\"\(labelW)\" y=\"\(ly - 9)\" width=\"10\" height=\"10\"/><text class=\"legend\" x=\"\(labelW + 14)\" y=\"\(ly)\">\(Escape.htmlText(text.value))</text>"
        // The second key starts after the first one's words (about 6.5 px a character at 12 px).
        let costX = labelW + 30 + Double(text.value.count) * 6.5
        svg += "<rect class=\"bar-cost\" x=\"\(Self.r(costX))\" y=\"\(ly - 9)\" width=\"10\" height=\"10\"/><text class=\"legend\" x=\"\(Self.r(costX + 14))\" y=\"\(ly)\">\(Escape.htmlText(text.cost))</text>"
        return svg + "</svg>"
    }

    /// One 100 % bar of conversations by channel (the pyramid's share of voice).
    func channelBar(_ shares: [(String, Double)]) -> String {
        var svg = "<svg class=\"chart mix\" viewBox=\"0 0 760 34\" role=\"img\" aria-label=\"\(Escape.htmlAttribute(text.channelsTitle))\">"
        var x = 0.0
        for (i, (name, share)) in shares.enumerated() {
            let width = 760 * share
            svg += "<rect class=\"mix\(i % 8)\" x=\"\(Self.r(x))\" y=\"2\" width=\"\(Self.r(max(0, width - 1)))\" height=\"30\"/>"
            let label = text.label(name) + " " + f.percent(share)
            if width > Double(label.count) * 6.4 + 12 {
                svg += "<text class=\"mix-label\" x=\"\(Self.r(x + 6))\" y=\"22\">\(Escape.htmlText(label))</text>"
            } else if width > Double(text.label(name).count) * 6.4 + 12 {
                svg += "<text class=\"mix-label\" x=\"\(Self.r(x + 6))\" y=\"22\">\(Escape.htmlText(text.label(name)))</text>"
            }
            x += width
        }
        return svg + "</svg>"
    }

    /// Round, human tick values (1, 2, 2.5, 5 × 10ⁿ) covering `lo…hi`, about five of them.
    static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
        let range = hi - lo
        guard range > 0, range.isFinite else { return [lo, lo + 1] }
        let raw = range / 4
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        let start = (lo / step).rounded(.down) * step
        var out: [Double] = []
        var t = start
        while t < hi + step * 0.999, out.count < 12 { out.append(t); t += step }
        return out
    }

    static func r(_ v: Double) -> Double { (v * 10).rounded() / 10 }
}

extension String {
    /// A `<span class="fig" …>` figure turned into an SVG `<tspan>`.
    var tspan: String {
        guard hasPrefix("<span"), hasSuffix("</span>") else { return self }
        return "<tspan" + dropFirst(5).dropLast(7) + "</tspan>"
    }
}
