/// The report's words in German and English; numbers are formatted by `MoneyText`.
struct ReportText {
    let language: DisplayLanguage

    private func t(_ de: String, _ en: String) -> String { language == .de ? de : en }

    var title: String { t("Was unsere Kundengespräche wert sind", "What our customer conversations are worth") }
    var subtitle: String { t("Dialog-ROI-Bericht", "Dialogue ROI report") }
    var window: String { t("Zeitraum", "Period") }
    var generated: String { t("erstellt", "generated") }
    var filters: String { t("Filter", "Filters") }
    var value: String { t("Wert", "Value") }
    var cost: String { t("Kosten", "Cost") }
    var net: String { t("Nettowert", "Net value") }
    var roi: String { "ROI" }
    var previous: String { t("Vorperiode", "previous period") }
    var trend: String { t("Wert ggü. Vorperiode", "Value vs previous period") }
    var deflection: String { t("Einsparung ggü. Callcenter", "Saved against the call centre") }
    var conversations: String { t("Gespräche", "Conversations") }
    var minutes: String { t("Minuten", "Minutes") }
    /// In running text: German nouns keep their capital.
    var conversationsWord: String { t("Gespräche", "conversations") }
    var minutesWord: String { t("Minuten", "minutes") }
    var pyramid: String { t("Die ROI-Pyramide", "The ROI pyramid") }
    var executive: String { t("Geschäftsführung", "Executives") }
    var executiveHint: String { t("Geschäftsergebnis", "Business outcome") }
    var managers: String { t("Abteilungsleitung", "Business managers") }
    var managersHint: String { t("Kennzahlen je Abteilung", "Department KPIs") }
    var practitioners: String { t("Mitarbeitende", "Practitioners") }
    var practitionersHint: String { t("Aktivität und Resonanz", "Activity and engagement") }
    /// Short words inside the pyramid's levels (the audiences are named beside them).
    var levelWords: [String] { [t("Ergebnis", "Outcome"), t("Kennzahlen", "KPIs"), t("Aktivität", "Activity")] }
    var netShort: String { t("netto", "net") }
    var department: String { t("Abteilung", "Department") }
    var resolution: String { t("Lösungsquote", "Resolution rate") }
    var satisfaction: String { t("Zufriedenheit", "Satisfaction") }
    var conversion: String { t("Lead-Konversion", "Lead conversion") }
    var costPerResolution: String { t("Kosten je Lösung", "Cost per resolution") }
    var sentiment: String { t("Stimmung positiv", "Positive sentiment") }
    var awaitingReview: String { t("warten auf Prüfung", "awaiting review") }
    var trendTitle: String { t("ROI und Nettowert der letzten 12 Zeiträume", "ROI and net value over the last 12 periods") }
    var departmentsTitle: String { t("Wert und Kosten je Abteilung", "Value against cost per department") }
    var channelsTitle: String { t("Kanalmix", "Channel mix") }
    var channel: String { t("Kanal", "Channel") }
    var share: String { t("Anteil", "Share") }
    var outcomesTitle: String { t("Die wertvollsten Ergebnisse", "Top outcomes") }
    var outcome: String { t("Ergebnis", "Outcome") }
    var notesTitle: String { t("Wie die Zahlen entstehen", "How these figures are made") }
    var noData: String { t("keine Gespräche in diesem Zeitraum", "no conversations in this period") }
    /// The trend's x axis: what one point covers.
    func pointCovers(_ span: TimeSpan?) -> String {
        guard let span else { return t("je Punkt: ein Kalendermonat", "each point: one calendar month") }
        let hours = (span.until - span.since) / 3600
        let length = hours % 24 == 0 ? t("\(hours / 24) Tage", "\(hours / 24) days") : t("\(hours) Stunden", "\(hours) hours")
        return t("je Punkt: \(length) bis zum genannten Tag", "each point: the \(length) up to the day shown")
    }

    func label(_ key: String) -> String {
        guard language == .de else { return key.replacingAll("_", with: " ") }
        let de = ["sales": "Vertrieb", "marketing": "Marketing", "service": "Service", "product": "Produkt",
                  "unassigned": "nicht zugeordnet", "unclassified": "nicht klassifiziert", "won": "gewonnen", "lead": "Lead",
                  "lost": "verloren", "engaged": "im Gespräch", "advocacy": "Empfehlung", "resolved": "gelöst",
                  "escalated": "eskaliert", "unresolved": "ungelöst", "idea": "Idee", "bug": "Fehler",
                  "complaint": "Beschwerde", "churn_risk": "Abwanderungsrisiko", "none": "ohne", "email": "E-Mail",
                  "phone": "Telefon", "unknown": "unbekannt"]
        return de[key] ?? key.replacingAll("_", with: " ")
    }

    var costRule: String {
        t("Kosten = Gesprächsdauer × Stundensatz der Abteilung + Pauschale je Gespräch; ohne erfasste Dauer gilt die Standarddauer des Kanals.",
          "Cost = conversation time × the department's hourly rate + a fixed cost per conversation; without a logged duration the channel's default duration applies.")
    }

    var valueRule: String {
        t("Wert = der erfasste Betrag (z. B. Auftragswert); sonst der im System hinterlegte Standardwert des Ergebnisses (etwa „gelöst“ = eingesparter Aufwand). Nettowert = Wert − Kosten; ROI = Nettowert / Kosten.",
          "Value = the amount logged (e.g. an order's value); otherwise the configured default value of the outcome (e.g. \u{201C}resolved\u{201D} = effort saved). Net value = value − cost; ROI = net value / cost.")
    }

    var deflectionRule: String {
        t("Einsparung ggü. Callcenter = gelöste Fälle × Kosten eines Callcenter-Kontakts − Kosten der Service-Gespräche.",
          "Saved against the call centre = resolved cases × the cost of a call-centre contact − the cost of the service conversations.")
    }

    func classification(_ c: ReportData.Classification, percent: (Double?) -> String, count: (Int64) -> String) -> String {
        let labelled = c.conversations - c.awaitingReview
        let share = c.conversations == 0 ? nil : Double(labelled) / Double(c.conversations)
        var text = t("\(count(labelled)) von \(count(c.conversations)) Gesprächen (\(percent(share))) tragen Abteilung und Ergebnis; \(count(c.awaitingReview)) warten auf Klassifizierung oder Prüfung und zählen als „nicht zugeordnet“ bzw. „nicht klassifiziert“.",
                     "\(count(labelled)) of \(count(c.conversations)) conversations (\(percent(share))) carry a department and an outcome; \(count(c.awaitingReview)) await classification or review and count as \u{201C}unassigned\u{201D} or \u{201C}unclassified\u{201D}.")
        if let model = c.modelClassified {
            let modelShare = c.conversations == 0 ? nil : Double(model) / Double(c.conversations)
            text += " " + t("Das Modell hat \(count(model)) davon klassifiziert (\(percent(modelShare))).",
                            "The model classified \(count(model)) of them (\(percent(modelShare))).")
            if let rule = c.ruleClassified { text += " " + t("Regeln: \(count(rule)).", "Rules: \(count(rule)).") }
        } else {
            text += " " + t("Alle übrigen Bezeichnungen stammen aus den Einträgen selbst.", "All other labels were logged with the records.")
        }
        return text
    }

    func sources(_ periodSource: String) -> String {
        t("Quelle: dialogd, Abfragen „pyramid“ und „roi“ über denselben Zeitraum (stündliche Summen, auf den Cent genau). Verlauf: \(periodSource).",
          "Source: dialogd, the \u{201C}pyramid\u{201D} and \u{201C}roi\u{201D} queries over the same period (hourly sums, exact to the cent). Trend: \(periodSource).")
    }

    var stale: String {
        t("Achtung: Die Sätze in der Konfiguration wurden geändert, die Zahlen beruhen noch auf den alten Sätzen (dialogctl recompute).",
          "Note: the rates in the configuration changed; these figures still rest on the old rates (dialogctl recompute).")
    }

    var employeeOff: String {
        t("Zahlen je Mitarbeiter werden nicht gezeigt: Die Leistung Einzelner bleibt in dieser Installation vertraulich.",
          "Figures per employee are not shown: individual performance stays private in this installation.")
    }
}
