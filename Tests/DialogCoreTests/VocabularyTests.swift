import DialogCore
import Testing

/// Issue 18: one label vocabulary (aliases, folding, unassigned instead of new categories),
/// expected value by outcome probability, channel groups, and where the resolution KPIs apply.
@Suite("Label vocabulary, expected value, channel groups")
struct VocabularyTests {
    static let config = DialogConfig(layout: .system)
    static let vocabulary = LabelVocabulary(config.valuation)

    static func record(_ headers: String, vocabulary: LabelVocabulary? = Self.vocabulary) throws -> ConversationRecord {
        let settings = testSettings { $0.vocabulary = vocabulary }
        let file = try read("Datum: 2026-11-28 14:05\nMitarbeiter: anna\n" + headers + "\n\nText.\n", "a.conv", settings: settings)
        return try #require(file.records.first?.record)
    }

    @Test("German and English spellings of every shipped label map to it, whatever the case, spaces or umlauts",
          arguments: [
              ("Vertrieb", LabelVocabulary.Kind.department, "sales"), (" KUNDENSERVICE ", .department, "service"),
              ("Kundendienst", .department, "service"), ("Support", .department, "service"), ("Kunden-Service", .department, "service"),
              ("Produktentwicklung", .department, "product"), ("Marketing", .department, "marketing"),
              ("gewonnen", .outcome, "won"), ("Verloren", .outcome, "lost"), ("gelöst", .outcome, "resolved"),
              ("geloest", .outcome, "resolved"), ("GELÖST", .outcome, "resolved"), ("Eskaliert", .outcome, "escalated"),
              ("Idee", .outcome, "idea"), ("Fehler", .outcome, "bug"), ("Beschwerde", .outcome, "complaint"),
              ("Empfehlung", .outcome, "advocacy"), ("Anfrage", .outcome, "none"), ("ungelöst", .outcome, "unresolved"),
              ("Churn Risk", .outcome, "churn_risk"), ("Kündigungsrisiko", .outcome, "churn_risk"),
              ("E-Mail", .channel, "email"), ("Telefonat", .channel, "phone"), ("X", .channel, "twitter"), ("Forum", .channel, "forum"),
              // Decomposed, as a Mac writes them (attack review of session 19, finding 2).
              ("gelo\u{308}st", .outcome, "resolved"), ("GELO\u{308}ST", .outcome, "resolved"), ("Ku\u{308}ndigungsrisiko", .outcome, "churn_risk"),
          ] as [(String, LabelVocabulary.Kind, String)])
    func aliases(written: String, kind: LabelVocabulary.Kind, label: String) {
        #expect(Self.vocabulary.resolve(written, kind) == label)
    }

    @Test("a logged value is mapped to its label and keeps the text as written; an unknown one is unassigned, not new")
    func recordsMapThroughTheVocabulary() throws {
        let r = try Self.record("Abteilung: Vertrieb\nErgebnis: geloest\nKanal: Telefonat")
        #expect(r.department == "sales" && r.outcome == "resolved" && r.channel == "phone")
        #expect(r.rawDepartment == "Vertrieb" && r.rawOutcome == "geloest" && r.rawChannel == "Telefonat")
        // Spelt like the label: nothing extra is kept.
        let plain = try Self.record("Abteilung: Sales\nErgebnis: won\nKanal: email")
        #expect(plain.department == "sales" && plain.rawDepartment == nil && plain.rawOutcome == nil && plain.rawChannel == nil)
        let odd = try Self.record("Abteilung: Buchhaltung\nErgebnis: vielleicht\nKanal: Brieftaube")
        #expect(odd.department == nil && odd.unmatchedDepartment == "Buchhaltung")
        #expect(odd.outcome == nil && odd.unmatchedOutcome == "vielleicht")
        #expect(odd.channel == "unknown" && odd.unmatchedChannel == "Brieftaube")
        // The content key is what it was before the vocabulary, so stored keys stay valid.
        let before = try Self.record("Abteilung: Vertrieb\nErgebnis: geloest\nKanal: X", vocabulary: nil)
        let after = try Self.record("Abteilung: Vertrieb\nErgebnis: geloest\nKanal: X")
        #expect(before.department == "vertrieb" && after.department == "sales")
        #expect(RecordKey.make(for: before) == RecordKey.make(for: after))
    }

    @Test("unmatched logged labels are not guessed over: unassigned, as logged")
    func unmatchedIsNotClassified() throws {
        let r = try Self.record("Abteilung: Buchhaltung\nErgebnis: Idee")
        let labels = Classifier(ClassificationConfig()).labels(for: r, document: Document(r), outcomeDepartments: [:])
        #expect(labels.department == LabelDecision(label: LabelDecision.unclassified, confidence: 1, source: .logged))
        #expect(labels.outcome?.label == "idea")
    }

    @Test("aliases, probability and group are config keys, checked")
    func configKeys() throws {
        let c = try DialogConfig.parse("""
            [department.legal]
            aliases = Recht, Rechtsabteilung
            [outcome.lead]
            probability = 25%
            [outcome.won]
            probability = 0,9
            [channel.mastodon]
            group = Social
            """)
        #expect(c.valuation.departments["legal"]?.aliases == ["recht", "rechtsabteilung"])
        #expect(c.valuation.outcomes["lead"]?.probabilityBasisPoints == 2_500)
        #expect(c.valuation.outcomes["won"]?.probabilityBasisPoints == 9_000)
        #expect(c.valuation.channelGroup("mastodon") == "social" && c.valuation.channelGroup("unknown") == "other")
        #expect(LabelVocabulary(c.valuation).resolve("RECHT", .department) == "legal")
        #expect(try DialogConfig.parse(c.effectiveINI).valuation == c.valuation)
        for (text, key) in [("[outcome.lead]\nprobability = 1.5", "outcome.lead.probability"),
                            ("[outcome.lead]\nprobability = -0.1", "outcome.lead.probability"),
                            ("[outcome.lead]\nprobability = likely", "outcome.lead.probability"),
                            ("[department.legal]\naliases = Vertrieb", "department.legal.aliases"),
                            ("[outcome.maybe]\naliases = Gelöst", "outcome.maybe.aliases"),
                            ("[channel.fax]\ngroup = a b", "channel.fax.group")] {
            #expect(throws: ConfigError.self, "\(text)") { try DialogConfig.parse(text) }
            // A clash names both labels; the key is one of the two sections.
            do { _ = try DialogConfig.parse(text) } catch {
                #expect(error.key == key || error.description.contains(key.split(separator: ".")[1]), "\(text): \(error)")
            }
        }
    }

    @Test("at most 64 departments and 64 outcomes, built-in ones included: a 65th is refused at its line; channels are not bounded",
          arguments: [("department", "hourly_cost = 10.00", "sales"), ("outcome", "value = 1.00", "won")])
    func classifiedLabelsAreBounded(kind: String, key: String, builtInName: String) throws {
        func count(_ v: ValuationConfig) -> Int { kind == "department" ? v.departments.count : v.outcomes.count }
        let room = LabelVocabulary.maxPerKind - count(try DialogConfig.parse("").valuation)
        #expect(room > 0 && LabelVocabulary.maxPerKind == 64)
        func text(_ count: Int) -> String { (0..<count).map { "[\(kind).extra\($0)]\n\(key)\n" }.joined() }
        #expect(count(try DialogConfig.parse(text(room)).valuation) == 64)
        // A built-in label set in a full configuration is no new one.
        #expect(count(try DialogConfig.parse(text(room) + "[\(kind).\(builtInName)]\naliases = more\n").valuation) == 64)
        #expect {
            try DialogConfig.parse(text(room + 1))
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.line == 2 * room + 2 && error.description.contains("at most 64 \(kind)s") && error.description.contains("[\(kind).extra\(room)] would be one more")
        }
        let channels = (0..<100).map { "[channel.extra\($0)]\ngroup = social\n" }.joined()
        #expect(try DialogConfig.parse(channels).valuation.channels.count > 100)
    }

    @Test("counted value = value × probability in cents, rounded half away from zero")
    func expectedValue() {
        let valuation = Valuation()
        // The lead: 1,200.00 logged counts 240.00 at probability 0.2.
        let lead = ConversationRecord(date: 0, employee: "a", channel: "xing", department: "sales", outcome: "lead", valueCents: 120_000)
        #expect(valuation.price(lead).valueCents == 24_000)
        let won = ConversationRecord(date: 0, employee: "a", department: "sales", outcome: "won", valueCents: 120_000)
        #expect(valuation.price(won).valueCents == 120_000)
        #expect(Valuation.expected(1, basisPoints: 5_000) == 1)
        #expect(Valuation.expected(-1, basisPoints: 5_000) == -1)
        #expect(Valuation.expected(3, basisPoints: 3_333) == 1)
        #expect(Valuation.expected(Int64.max, basisPoints: 9_999) > 0)
        // A department or outcome outside the vocabulary counts as unassigned / unclassified.
        let drifted = ConversationRecord(date: 0, employee: "a", department: "vertrieb", outcome: "geloest", valueCents: 100)
        let priced = valuation.price(drifted)
        // Its stated value counts at the lowest probability of any outcome (lead 0.2) until it is
        // labelled: a mistyped lead ("Interessnt", 10,000.00) must not count its whole offer.
        #expect(priced.department == nil && priced.outcome == nil && priced.valueCents == 20)
        let typo = ConversationRecord(date: 0, employee: "a", channel: "linkedin", department: "sales", outcome: "interessnt", valueCents: 1_000_000)
        #expect(valuation.price(typo).valueCents == 200_000)
        // Without an uncertain outcome in the config, an unknown outcome's value counts in full.
        var certain = ValuationConfig()
        for name in certain.outcomes.keys { certain.outcomes[name]?.probabilityBasisPoints = 10_000 }
        #expect(Valuation(certain).price(typo).valueCents == 1_000_000)
    }

    @Test("resolution KPIs count service departments only: a sale marked resolved has none")
    func resolutionOnlyForService() {
        var sums = RoiSums()
        sums.conversations = 2
        sums.costCents = 4_000
        let sales = [AggregateCell(department: "sales", label: "resolved", sums: sums)]
        let k = Kpis(outcomes: sales, channels: [], callCenterContactCostCents: 650, serviceDepartments: Self.config.valuation.serviceDepartments)
        #expect(k.resolutionRate == nil && k.costPerResolutionCents == nil && k.deflectionSavingsCents == nil)
        let service = [AggregateCell(department: "service", label: "resolved", sums: sums)]
        let s = Kpis(outcomes: service, channels: [], callCenterContactCostCents: 650, serviceDepartments: ["service"])
        #expect(s.resolutionRate == 1 && s.costPerResolutionCents == 2_000 && s.deflectionSavingsCents == 2 * 650 - 4_000)
        #expect(Self.config.valuation.serviceDepartments == ["service"])
    }

    @Test("log refuses a label outside the vocabulary and takes any alias, with or without a config file")
    func logValidates() throws {
        let settings = Self.config.parseSettings(now: fixedNow)
        func entry(_ department: String) -> LogEntry {
            LogEntry([(.date, "2026-11-28T14:05:00Z"), (.employee, "anna"), (.department, department), (.outcome, "gewonnen")])
        }
        let ok = try entry("Vertrieb").validate(settings: settings, valuation: nil)
        #expect(ok.department == "sales" && ok.outcome == "won")
        #expect(throws: RecordRejection.self) { try entry("Buchhaltung").validate(settings: settings, valuation: nil) }
        do { _ = try entry("Buchhaltung").validate(settings: settings, valuation: nil) } catch {
            #expect(error.field == "department" && error.expected.contains("sales"))
        }
    }
}
