/// The report's words in German and English; numbers are formatted by `MoneyText`.
struct ReportText {
    let language: DisplayLanguage

    private func t(_ de: String, _ en: String) -> String { language == .de ? de : en }

    var title: String { t("Was unsere Kundengespräche wert sind", "What our customer conversations are worth") }
    var subtitle: String { t("Dialog-ROI-Bericht", "Dialogue ROI report") }
    var window: String { t("Zeitraum", "Period") }
    var generated: String { t("erstellt", "generated") }
    var filters: String { t("Filter", "Filters") }
    /// Every value is an expected value: the outcome's value × its probability (issue 18).
    var value: String { t("Erwarteter Wert", "Expected value") }
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
    var sitesTitle: String { t("Wert und Kosten je Standort", "Value against cost per site") }
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
        guard language == .de else {
            let en = ["social": "social media", "direct": "direct channels", "other": "other channels"]
            return en[key] ?? key.replacingAll("_", with: " ")
        }
        let de = ["sales": "Vertrieb", "marketing": "Marketing", "service": "Service", "product": "Produkt",
                  "unassigned": "nicht zugeordnet", "unclassified": "nicht klassifiziert", "won": "gewonnen", "lead": "Lead",
                  "lost": "verloren", "engaged": "im Gespräch", "advocacy": "Empfehlung", "resolved": "gelöst",
                  "escalated": "eskaliert", "unresolved": "ungelöst", "idea": "Idee", "bug": "Fehler",
                  "complaint": "Beschwerde", "churn_risk": "Abwanderungsrisiko", "none": "ohne", "email": "E-Mail",
                  "phone": "Telefon", "unknown": "unbekannt", "social": "soziale Medien", "direct": "direkte Kanäle",
                  "other": "sonstige"]
        return de[key] ?? key.replacingAll("_", with: " ")
    }

    var costRule: String {
        t("Kosten = Gesprächsdauer × Stundensatz der Abteilung + Pauschale je Gespräch; ohne erfasste Dauer gilt die Standarddauer des Kanals.",
          "Cost = conversation time × the department's hourly rate + a fixed cost per conversation; without a logged duration the channel's default duration applies.")
    }

    var valueRule: String {
        t("Erwarteter Wert = der mit dem Gespräch erfasste Betrag (z. B. der Abschlusswert, den ein Mitarbeiter eingetragen hat; nicht der Umsatz aus Aufträgen), sonst der hinterlegte Standardwert des Ergebnisses (etwa „gelöst“ = eingesparter Aufwand), mal der Wahrscheinlichkeit, mit der das Ergebnis zu Geld wird: ein Lead über 1.200 € mit 20 % zählt 240 €; ein Abschluss zählt voll. Auf den Cent gerundet. Nettowert = erwarteter Wert − Kosten; ROI = Nettowert / Kosten.",
          "Expected value = the amount logged with the conversation (e.g. the deal value an employee typed; not the revenue from orders), else the outcome's configured default value (e.g. \u{201C}resolved\u{201D} = effort saved), times the probability that the outcome turns into that money: a lead for 1,200 € at 20 % counts 240 €; a closed sale counts in full. Rounded to the cent. Net value = expected value − cost; ROI = net value / cost.")
    }

    /// The managers' column: a rate of closed deals, not of leads and not of customers ordering.
    var conversionRule: String {
        t("Lead-Konversion = gewonnene ÷ (gewonnene + verlorene) Gespräche der Abteilung; offene Leads zählen nicht mit, und es ist nicht der Anteil der Kunden, die bestellten.",
          "Lead conversion = won ÷ (won + lost) conversations of the department; open leads are not in it, and it is not the share of customers who ordered.")
    }

    var deflectionRule: String {
        t("Einsparung ggü. Callcenter = gelöste Fälle × Kosten eines Callcenter-Kontakts − Kosten aller Service-Gespräche (der Abteilungen, zu denen „gelöst“, „eskaliert“ und „ungelöst“ gehören). Lösungsquote und Kosten je Lösung gibt es nur für diese Abteilungen.",
          "Saved against the call centre = resolved cases × the cost of a call-centre contact − the cost of all service conversations (of the departments \u{201C}resolved\u{201D}, \u{201C}escalated\u{201D} and \u{201C}unresolved\u{201D} belong to). Resolution rate and cost per resolution are shown for those departments only.")
    }

    /// The deflection card when answering here cost more per resolution than the call centre.
    var costPerResolutionLabel: String { t("Kosten je Lösung", "Cost per resolution") }
    func deflectionNegative(_ contact: String) -> String {
        t("mehr als ein Callcenter-Kontakt (\(contact)): keine Einsparung, weil jede Lösung hier auch die Kosten eskalierter und ungelöster Fälle trägt",
          "more than a call-centre contact (\(contact)): no savings, as each resolution here also carries the cost of escalated and unresolved cases")
    }

    var socialTitle: String { t("Zahlt sich der Dialog in sozialen Medien aus?", "Does social media dialogue pay off?") }
    var socialLegend: String { t("Erwarteter Wert und Kosten je Kanalgruppe", "Expected value and cost per channel group") }

    /// One sentence: what the social channels cost and earned against the direct ones.
    /// `figures` are the tagged figures in the order cost, value, ROI of social, then of direct.
    func socialSentence(social: [String]?, direct: [String]?, _ s: [String], _ d: [String]) -> String {
        let socialNames = (social ?? []).map(label).joined(separator: ", ")
        let directNames = (direct ?? []).map(label).joined(separator: ", ")
        switch (social != nil, direct != nil) {
        case (true, true):
            return t("Der Dialog in sozialen Medien (\(socialNames)) kostete \(s[0]) und brachte \(s[1]) erwarteten Wert: ROI \(s[2]) – gegenüber \(d[2]) in den direkten Kanälen (\(directNames)), die \(d[0]) kosteten und \(d[1]) brachten.",
                     "Social media dialogue (\(socialNames)) cost \(s[0]) and earned \(s[1]) in expected value: ROI \(s[2]) \u{2013} against \(d[2]) in the direct channels (\(directNames)), which cost \(d[0]) and earned \(d[1]).")
        case (true, false):
            return t("Der Dialog in sozialen Medien (\(socialNames)) kostete \(s[0]) und brachte \(s[1]) erwarteten Wert: ROI \(s[2]). Über direkte Kanäle gab es in diesem Zeitraum keine Gespräche.",
                     "Social media dialogue (\(socialNames)) cost \(s[0]) and earned \(s[1]) in expected value: ROI \(s[2]). There were no conversations on direct channels in this period.")
        case (false, true):
            return t("In diesem Zeitraum gab es keine Gespräche in sozialen Medien; die direkten Kanäle (\(directNames)) kosteten \(d[0]) und brachten \(d[1]): ROI \(d[2]).",
                     "There was no social media dialogue in this period; the direct channels (\(directNames)) cost \(d[0]) and earned \(d[1]): ROI \(d[2]).")
        case (false, false):
            return t("In diesem Zeitraum gab es weder in sozialen Medien noch über direkte Kanäle Gespräche.",
                     "There was neither social media nor direct-channel dialogue in this period.")
        }
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

    var groupRule: String {
        t("Kanalgruppen: soziale Medien und direkte Kanäle, wie in der Konfiguration je Kanal festgelegt; Kosten, erwarteter Wert und ROI je Gruppe sind die Summen ihrer Kanäle.",
          "Channel groups: social media and direct channels, as the configuration assigns each channel; cost, expected value and ROI of a group are the sums over its channels.")
    }
}
