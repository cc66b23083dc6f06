/// The report's section on revenue from orders (issue 14): attributed revenue beside the logged
/// value, the two ROIs side by side with the attribution model named, and the order revenue no
/// conversation came before. Every figure is `pyramid --json`'s `executive.order_revenue` or a
/// `value_by_department` row, tagged like the rest of the page; words are escaped, figures
/// inserted after.
extension ReportRenderer {
    static func revenue(_ e: Pyramid.Executive, window: TimeSpan, _ f: ReportFormatter, _ text: ReportText) -> String {
        guard let r = e.orderRevenue else { return "" }  // a daemon older than orders
        var html = "<section class=\"revenue\">\n<h2>\(Escape.htmlText(text.revenueTitle))</h2>\n"
        guard r.hasOrders else { return html + "<p class=\"empty\">\(Escape.htmlText(text.noOrders))</p>\n</section>\n" }
        if r.stale { html += "<p class=\"warning\">\(Escape.htmlText(text.revenueStale))</p>\n" }
        let key = "executive.order_revenue."
        let model = text.model(r)
        if (r.ordersInWindow ?? 0) == 0 {
            html += "<p class=\"answer\">\(Escape.htmlText(text.noOrdersInWindow(model)))</p>\n"
        } else {
            let figures = [f.moneyFigure(key + "attributed_cents", r.attributedCents ?? 0), f.ratioFigure(key + "roi", r.roi),
                           f.ratioFigure("executive.figures.roi", e.figures.roi)]
            html += "<p class=\"answer\">" + filled(text.revenueSentence(model), figures) + "</p>\n"
            // What that ROI sets against what (docs/roi.md "What ROI on attributed revenue compares").
            html += "<p>\(Escape.htmlText(text.revenueBasis(lookback: r.lookbackSeconds, shortWindow: window.until - window.since < r.lookbackSeconds)))</p>\n"
            if let orders = r.ordersCents, let unattributed = r.unattributedCents {
                let parts = [f.moneyFigure(key + "unattributed_cents", unattributed), f.ratioFigure(key + "unattributed_share", r.unattributedShare),
                             f.moneyFigure(key + "orders_cents", orders), f.countFigure(key + "orders", r.ordersInWindow ?? 0)]
                html += "<p>" + filled(text.unattributedSentence, parts) + "</p>\n"
            }
        }
        let rows = e.valueByDepartment
        guard !rows.isEmpty else { return html + "</section>\n" }
        html += "<table>\n<tr><th>\(Escape.htmlText(text.department))</th><th class=\"num\">\(Escape.htmlText(text.cost))</th>"
            + "<th class=\"num\">\(Escape.htmlText(text.value))</th><th class=\"num\">\(Escape.htmlText(text.roiOnValue))</th>"
            + "<th class=\"num\">\(Escape.htmlText(text.attributed))</th><th class=\"num\">\(Escape.htmlText(text.roiOnRevenue))</th></tr>\n"
        for (i, row) in rows.enumerated() {
            let k = "executive.value_by_department.\(i).", g = row.figures
            html += "<tr><td>\(Escape.htmlText(text.label(row.key)))</td>"
                + "<td class=\"num\">\(f.moneyFigure(k + "cost_cents", g.costCents))</td>"
                + "<td class=\"num\">\(f.moneyFigure(k + "value_cents", g.valueCents))</td>"
                + "<td class=\"num\">\(f.ratioFigure(k + "roi", g.roi))</td>"
                + "<td class=\"num\">\(f.moneyFigure(k + "attributed_cents", g.attributedCents ?? 0))</td>"
                + "<td class=\"num\">\(g.attributedRoi == nil ? "–" : f.ratioFigure(k + "attributed_roi", g.attributedRoi))</td></tr>\n"
        }
        return html + "</table>\n</section>\n"
    }

    /// `sentence` escaped, its placeholders `\u{1}N\u{1}` replaced by the tagged `figures`.
    static func filled(_ sentence: String, _ figures: [String]) -> String {
        var html = Escape.htmlText(sentence)
        for (i, figure) in figures.enumerated() { html = html.replacingOccurrences(of: "\u{1}\(i)\u{1}", with: figure) }
        return html
    }
}

extension ReportText {
    /// Placeholder `i` for a tagged figure in a sentence (`ReportRenderer.filled`).
    private func p(_ i: Int) -> String { "\u{1}\(i)\u{1}" }
    private func tr(_ de: String, _ en: String) -> String { language == .de ? de : en }

    var revenueTitle: String { tr("Umsatz aus Aufträgen neben dem erfassten Wert", "Revenue from orders beside the logged value") }
    var roiOnValue: String { tr("ROI auf erw. Wert", "ROI on value") }
    var attributed: String { tr("Zugerechneter Umsatz", "Attributed revenue") }
    var roiOnRevenue: String { tr("ROI auf Umsatz", "ROI on revenue") }

    /// `linear, 90 days lookback` in words.
    func model(_ r: OrderRevenue) -> String {
        let names = language == .de
            ? ["last_touch": "letzter Kontakt", "first_touch": "erster Kontakt", "linear": "linear", "time_decay": "zeitlich abklingend", "position": "positionsbasiert"]
            : ["last_touch": "last touch", "first_touch": "first touch", "linear": "linear", "time_decay": "time decay", "position": "position based"]
        var text = (names[r.model] ?? r.model) + ", " + tr("Rückblick ", "lookback ") + length(r.lookbackSeconds)
        if let h = r.halfLifeSeconds { text += ", " + tr("Halbwertszeit ", "half-life ") + length(h) }
        return text
    }

    func length(_ seconds: Int64) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400) " + (seconds == 86_400 ? tr("Tag", "day") : tr("Tage", "days")) }
        return "\(seconds / 3600) " + (seconds == 3600 ? tr("Stunde", "hour") : tr("Stunden", "hours"))
    }

    var noOrders: String {
        tr("Es sind keine Aufträge gespeichert, daher steht dem erfassten Wert kein Umsatz gegenüber. Aufträge aus ERP oder CRM (NAME.orders.csv) zeigen hier, wie viel Umsatz den Gesprächen folgte.",
           "No orders are stored, so there is no revenue to set beside the logged value. Orders from the ERP or CRM (NAME.orders.csv) show here how much revenue followed the conversations.")
    }

    func noOrdersInWindow(_ model: String) -> String {
        tr("In diesem Zeitraum ist kein Auftrag datiert: kein Umsatz, kein ROI auf Umsatz (Zurechnung: \(model)).",
           "No order is dated in this period: no revenue and no ROI on revenue (attribution: \(model)).")
    }

    /// Figures: attributed revenue, ROI on it, ROI on the logged value.
    func revenueSentence(_ model: String) -> String {
        tr("Aufträge dieses Zeitraums brachten \(p(0)) Umsatz, den vorangegangenen Gesprächen zugerechnet (\(model)): ROI \(p(1)) auf diesen Umsatz, gegenüber \(p(2)) auf den erfassten erwarteten Wert.",
           "Orders dated in this period brought \(p(0)) in revenue credited to the conversations before them (\(model)): ROI \(p(1)) on that revenue, against \(p(2)) on the expected value logged.")
    }

    /// The ROI on revenue is a period view: the period's orders, whose touches reach a lookback
    /// back, against the cost of the period's conversations; said so, and when it misleads most.
    func revenueBasis(lookback: Int64, shortWindow: Bool) -> String {
        var sentence = tr("Dieser ROI stellt den Umsatz der Aufträge dieses Zeitraums, zugerechnet Gesprächen bis zu \(length(lookback)) davor, den Kosten der Gespräche dieses Zeitraums gegenüber, wie eine Gewinn- und Verlustrechnung eine Periode. Über aufeinanderfolgende Zeiträume zählt jeder Anteil und jede Kostenposition genau einmal.",
                          "This ROI sets the revenue of the orders dated in this period, credited to conversations up to \(length(lookback)) before them, against the cost of the conversations dated in this period, as a profit and loss statement books a period. Over consecutive periods every share and every cost counts exactly once.")
        if shortWindow {
            sentence += " " + tr("Der Zeitraum ist kürzer als der Rückblick: Umsatz früherer Gespräche zählt hier, ihre Kosten nicht; verlässlicher über mindestens \(length(lookback)).",
                                 "The period is shorter than the lookback: revenue credited to earlier conversations counts here, their cost does not; read it over \(length(lookback)) or more.")
        }
        return sentence
    }

    /// Figures: unattributed amount, its share, all order revenue, number of orders.
    var unattributedSentence: String {
        tr("Bei \(p(0)) (\(p(1))) des Auftragsumsatzes von \(p(2)) aus \(p(3)) Aufträgen ging dem Auftrag kein Gespräch mit dem Kunden voraus.",
           "\(p(0)) (\(p(1))) of the \(p(2)) order revenue from \(p(3)) orders had no conversation with the customer before it.")
    }

    var revenueStale: String {
        tr("Achtung: Die Umsatzanteile wurden mit einem anderen Zurechnungsmodell berechnet (dialogctl recompute).",
           "Note: the revenue shares were made with another attribution model (dialogctl recompute).")
    }

    var revenueRule: String {
        tr("Umsatz aus Aufträgen: Jeder Auftrag wird den Gesprächen mit demselben Kunden im Rückblick davor zugerechnet, auf den Cent genau; gezählt im Zeitraum des Auftragsdatums. ROI auf Umsatz = (zugerechneter Umsatz − Kosten) / Kosten, neben dem ROI auf den erfassten Wert.",
           "Revenue from orders: each order is credited to the conversations with the same customer within the lookback before it, to the cent, and counted in the period of the order's date. ROI on revenue = (attributed revenue − cost) / cost, beside the ROI on the logged value.")
    }
}
