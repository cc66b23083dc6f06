/// The manager's page (issue 7): `ReportData` in, one self-contained HTML document out —
/// inline CSS and SVG, no scripts, no external assets; A4 when printed. Every figure is tagged
/// with the key and raw value it came from (`data-k`, `data-v`) so tests can check it.
public enum ReportRenderer {
    /// Defence in depth (issue 13): the page is self-contained, so it may load nothing and run
    /// no script even if stored text ever slipped past `Escape`; only its inline style is allowed.
    public static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

    public static func render(_ data: ReportData) -> String {
        let f = ReportFormatter(language: data.language, currency: data.currency)
        let text = ReportText(language: data.language)
        let charts = ReportCharts(f: f, text: text)
        var html = """
            <!DOCTYPE html>
            <html lang="\(data.language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(ReportRenderer.contentSecurityPolicy)">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="dialogd">
            <meta name="dialogd-window" content="\(data.pyramid.window.since) \(data.pyramid.window.until)">
            <title>\(Escape.htmlText(text.subtitle)) · \(Escape.htmlText(f.span(data.pyramid.window)))</title>
            <style>
            \(ReportStyle.css)
            </style>
            </head>
            <body>
            <main class="page">

            """
        html += header(data, f, text)
        html += social(data, f, text, charts)
        html += cards(data.pyramid.executive, f, text)
        html += revenue(data.pyramid.executive, window: data.pyramid.window, f, text)
        html += "<section>\n<h2>\(Escape.htmlText(text.pyramid))</h2>\n" + charts.pyramid(data.pyramid) + "\n" + managers(data.pyramid, f, text) + "</section>\n"
        html += "<section>\n<h2>\(Escape.htmlText(text.trendTitle))</h2>\n" + charts.trend(data.periods) + "</section>\n"
        html += "<section class=\"page-break\">\n<h2>\(Escape.htmlText(text.departmentsTitle))</h2>\n"
            + charts.departments(data.pyramid.executive.valueByDepartment) + "</section>\n"
        if let sites = data.pyramid.executive.valueBySite {
            html += "<section>\n<h2>\(Escape.htmlText(text.sitesTitle))</h2>\n" + charts.sites(sites) + "</section>\n"
        }
        // The channel table has seven columns (cost, value, net and ROI per channel): full width.
        html += channels(data, f, text, charts) + outcomes(data.outcomes, f, text)
        html += notes(data, f, text)
        html += "<footer>dialogd · \(Escape.htmlText(text.generated)) \(Escape.htmlText(f.day(data.generatedAt))) \(Escape.htmlText(RFC3339.string(data.generatedAt, offset: 0).dropFirst(11).prefix(5) + " UTC"))</footer>\n"
        return html + "</main>\n</body>\n</html>\n"
    }

    static func header(_ data: ReportData, _ f: ReportFormatter, _ text: ReportText) -> String {
        var meta = "<b>\(Escape.htmlText(text.window)):</b> \(Escape.htmlText(f.span(data.pyramid.window))) (\(Escape.htmlText(data.windowName)))"
        if !data.filters.isEmpty {
            let list = data.filters.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ")
            meta += " · <b>\(Escape.htmlText(text.filters)):</b> \(Escape.htmlText(list))"
        }
        meta += " · \(Escape.htmlText(text.generated)) \(Escape.htmlText(f.day(data.generatedAt)))"
        return """
            <header>
            <div class="kicker">\(Escape.htmlText(text.subtitle))</div>
            <h1>\(Escape.htmlText(text.title))</h1>
            <div class="meta">\(meta)</div>
            </header>

            """
    }

    static func cards(_ e: Pyramid.Executive, _ f: ReportFormatter, _ text: ReportText) -> String {
        func card(_ label: String, _ big: String, _ sub: String, accent: Bool = false) -> String {
            "<div class=\"card\(accent ? " accent" : "")\"><div class=\"label\">\(Escape.htmlText(label))</div><div class=\"big\">\(big)</div><div class=\"sub\">\(sub)</div></div>\n"
        }
        let g = e.figures, p = e.previous
        var html = "<section class=\"cards\">\n"
        html += card(text.net, f.moneyFigure("executive.figures.net_cents", g.netCents),
                     "\(Escape.htmlText(text.previous)): " + f.moneyFigure("executive.previous.net_cents", p.netCents), accent: true)
        html += card(text.roi, f.ratioFigure("executive.figures.roi", g.roi),
                     "\(Escape.htmlText(text.previous)): " + f.ratioFigure("executive.previous.roi", p.roi), accent: true)
        html += card(text.trend, f.ratioFigure("executive.value_trend", e.valueTrend, signed: true, classes: (e.valueTrend ?? 0) < 0 ? "neg" : ""),
                     "\(Escape.htmlText(text.previous)): " + f.moneyFigure("executive.previous.value_cents", p.valueCents))
        html += card(text.value, f.moneyFigure("executive.figures.value_cents", g.valueCents),
                     f.countFigure("executive.figures.conversations", g.conversations) + " " + Escape.htmlText(text.conversationsWord))
        html += card(text.cost, f.moneyFigure("executive.figures.cost_cents", g.costCents),
                     f.countFigure("executive.figures.minutes", g.minutes) + " " + Escape.htmlText(text.minutesWord))
        // Deflection only where service conversations exist; a negative saving is explained.
        if let saved = e.deflectionSavingsCents, saved >= 0 {
            html += card(text.deflection, f.moneyFigure("executive.deflection_savings_cents", saved), "")
        } else if e.deflectionSavingsCents != nil, let perResolution = e.costPerResolutionCents {
            let contact = f.money(e.callCenterContactCostCents ?? 0)
            html += card(text.costPerResolutionLabel, f.moneyFigure("executive.cost_per_resolution_cents", perResolution),
                         Escape.htmlText(text.deflectionNegative(contact)))
        }
        return html + "</section>\n"
    }

    /// The first section (issue 18): one sentence and one chart on whether social media
    /// dialogue pays off, against the direct channels.
    static func social(_ data: ReportData, _ f: ReportFormatter, _ text: ReportText, _ charts: ReportCharts) -> String {
        let rows = Dictionary(data.channelGroups.map { ($0.key, $0.figures) }, uniquingKeysWith: { a, _ in a })
        func figures(_ group: String) -> [String] {
            guard let g = rows[group] else { return [] }
            let key = "channel_groups.\(group)."
            return [f.moneyFigure(key + "cost_cents", g.costCents), f.moneyFigure(key + "value_cents", g.valueCents),
                    f.ratioFigure(key + "roi", g.roi)]
        }
        // The sentence is built from escaped words and tagged figures: escape the words only.
        let s = figures("social"), d = figures("direct")
        let placeholders = (0..<6).map { "\u{1}\($0)\u{1}" }
        var sentence = Escape.htmlText(text.socialSentence(
            social: rows["social"] == nil ? nil : data.groupChannels["social"] ?? [],
            direct: rows["direct"] == nil ? nil : data.groupChannels["direct"] ?? [],
            Array(placeholders[0..<3]), Array(placeholders[3..<6])))
        for (i, figure) in (s + d).enumerated() where i < placeholders.count {
            sentence = sentence.replacingOccurrences(of: placeholders[s.isEmpty ? i + 3 : i], with: figure)
        }
        let order = ["social", "direct"]
        let shown = data.channelGroups.sorted { (order.firstIndex(of: $0.key) ?? 9, $0.key) < (order.firstIndex(of: $1.key) ?? 9, $1.key) }
        return "<section class=\"social\">\n<h2>\(Escape.htmlText(text.socialTitle))</h2>\n<p class=\"answer\">\(sentence)</p>\n"
            + charts.channelGroups(shown) + "\n</section>\n"
    }

    static func managers(_ p: Pyramid, _ f: ReportFormatter, _ text: ReportText) -> String {
        guard !p.managers.isEmpty else { return "<p class=\"empty\">\(Escape.htmlText(text.noData))</p>\n" }
        var html = "<table class=\"managers\">\n<tr><th>\(Escape.htmlText(text.department))</th><th class=\"num\">\(Escape.htmlText(text.conversations))</th>"
            + "<th class=\"num\">\(Escape.htmlText(text.net))</th><th class=\"num\">ROI</th><th class=\"num\">\(Escape.htmlText(text.resolution))</th>"
            + "<th class=\"num\">\(Escape.htmlText(text.satisfaction))</th><th class=\"num\">\(Escape.htmlText(text.conversion))</th>"
            + "<th class=\"num\">\(Escape.htmlText(text.costPerResolution))</th></tr>\n"
        for (i, m) in p.managers.enumerated() {
            let k = m.kpis, key = "managers.\(i).kpis."
            let satisfaction = k.satisfactionMean.map { mean -> String in
                let tenths = Int64((mean * 10).rounded())
                return "\(tenths / 10)\(f.language == .de ? "," : ".")\(tenths % 10) / 5"
            } ?? "–"
            html += "<tr><td>\(Escape.htmlText(text.label(m.department)))</td>"
                + "<td class=\"num\">\(f.countFigure(key + "figures.conversations", k.figures.conversations))</td>"
                + "<td class=\"num\">\(f.moneyFigure(key + "figures.net_cents", k.figures.netCents))</td>"
                + "<td class=\"num\">\(f.ratioFigure(key + "figures.roi", k.figures.roi))</td>"
                + "<td class=\"num\">\(f.ratioFigure(key + "resolution_rate", k.resolutionRate))</td>"
                + "<td class=\"num\">\(f.figure(key + "satisfaction_mean", k.satisfactionMean.map { String($0) } ?? "null", satisfaction))</td>"
                + "<td class=\"num\">\(f.ratioFigure(key + "lead_conversion", k.leadConversion))</td>"
                + "<td class=\"num\">\(k.costPerResolutionCents.map { f.moneyFigure(key + "cost_per_resolution_cents", $0) } ?? f.figure(key + "cost_per_resolution_cents", "null", "–"))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    static func channels(_ data: ReportData, _ f: ReportFormatter, _ text: ReportText, _ charts: ReportCharts) -> String {
        let shares = data.pyramid.practitioners.shareOfVoice.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var html = "<section>\n<h2>\(Escape.htmlText(text.channelsTitle))</h2>\n"
        guard !shares.isEmpty else { return html + "<p class=\"empty\">\(Escape.htmlText(text.noData))</p>\n</section>\n" }
        html += charts.channelBar(shares.map { ($0.key, $0.value) })
        html += "<table>\n<tr><th>\(Escape.htmlText(text.channel))</th><th class=\"num\">\(Escape.htmlText(text.conversations))</th><th class=\"num\">\(Escape.htmlText(text.share))</th>"
            + "<th class=\"num\">\(Escape.htmlText(text.cost))</th><th class=\"num\">\(Escape.htmlText(text.value))</th><th class=\"num\">\(Escape.htmlText(text.net))</th><th class=\"num\">ROI</th></tr>\n"
        let rows = Dictionary(data.channels.map { ($0.key, $0.figures) }, uniquingKeysWith: { a, _ in a })
        for (i, (name, share)) in shares.enumerated() {
            let figures = rows[name]
            html += "<tr><td><span class=\"swatch sw\(i % 8)\"></span>\(Escape.htmlText(text.label(name)))</td>"
                + "<td class=\"num\">\(figures.map { f.countFigure("channels.\(name).conversations", $0.conversations) } ?? "–")</td>"
                + "<td class=\"num\">\(f.ratioFigure("practitioners.share_of_voice.\(name)", share))</td>"
                + "<td class=\"num\">\(figures.map { f.moneyFigure("channels.\(name).cost_cents", $0.costCents) } ?? "–")</td>"
                + "<td class=\"num\">\(figures.map { f.moneyFigure("channels.\(name).value_cents", $0.valueCents) } ?? "–")</td>"
                + "<td class=\"num\">\(figures.map { f.moneyFigure("channels.\(name).net_cents", $0.netCents) } ?? "–")</td>"
                + "<td class=\"num\">\(figures.map { f.ratioFigure("channels.\(name).roi", $0.roi) } ?? "–")</td></tr>\n"
        }
        return html + "</table>\n</section>\n"
    }

    static func outcomes(_ rows: [RoiRow], _ f: ReportFormatter, _ text: ReportText) -> String {
        var html = "<section>\n<h2>\(Escape.htmlText(text.outcomesTitle))</h2>\n"
        let top = rows.sorted { $0.figures.valueCents != $1.figures.valueCents ? $0.figures.valueCents > $1.figures.valueCents : $0.key < $1.key }.prefix(8)
        guard !top.isEmpty else { return html + "<p class=\"empty\">\(Escape.htmlText(text.noData))</p>\n</section>\n" }
        html += "<table>\n<tr><th>\(Escape.htmlText(text.outcome))</th><th class=\"num\">\(Escape.htmlText(text.conversations))</th><th class=\"num\">\(Escape.htmlText(text.value))</th><th class=\"num\">\(Escape.htmlText(text.net))</th></tr>\n"
        for row in top {
            let key = "outcomes.\(row.key)."
            html += "<tr><td>\(Escape.htmlText(text.label(row.key)))</td><td class=\"num\">\(f.countFigure(key + "conversations", row.figures.conversations))</td>"
                + "<td class=\"num\">\(f.moneyFigure(key + "value_cents", row.figures.valueCents))</td>"
                + "<td class=\"num\">\(f.moneyFigure(key + "net_cents", row.figures.netCents))</td></tr>\n"
        }
        return html + "</table>\n</section>\n"
    }

    static func notes(_ data: ReportData, _ f: ReportFormatter, _ text: ReportText) -> String {
        var items = [text.costRule, text.valueRule, text.conversionRule, text.deflectionRule, text.groupRule,
                     text.classification(data.classification, percent: { f.percent($0) }, count: { f.count($0) }),
                     text.sources(data.periodSource)]
        if data.pyramid.practitioners.employeeFigures == "off" { items.append(text.employeeOff) }
        if data.pyramid.executive.orderRevenue?.hasOrders == true { items.insert(text.revenueRule, at: 2) }
        var html = "<section class=\"notes\">\n<h2>\(Escape.htmlText(text.notesTitle))</h2>\n"
        if data.valuationStale { html += "<p class=\"warning\">\(Escape.htmlText(text.stale))</p>\n" }
        html += "<ul>\n" + items.map { "<li>\(Escape.htmlText($0))</li>\n" }.joined()
        // While the figures rest on older rates, the config's rates would contradict them.
        if !data.rates.isEmpty, !data.valuationStale { html += "<li>" + Escape.htmlText(data.rates.joined(separator: "; ")) + "</li>\n" }
        return html + "</ul>\n</section>\n"
    }
}
