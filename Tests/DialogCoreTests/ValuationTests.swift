import DialogCore
import Testing

@Suite("Valuation config and pricing")
struct ValuationTests {
    @Test("named sections change built-ins and add new entities")
    func namedSections() throws {
        let config = try DialogConfig.parse("""
            [department.service]
            hourly_cost = 48,50
            [department.legal]
            hourly_cost = 120
            [outcome.contract]
            department = legal
            value = 1.200,00
            meaning = signed
            [channel.mastodon]
            aliases = toot, Fedi
            default_duration = 7m
            [valuation]
            cost_per_conversation = 0.75
            default_duration = 20m
            [privacy]
            employee_figures = pseudonymous
            """)
        let v = config.valuation
        #expect(v.departments["service"]?.hourlyCostCents == 4850)
        #expect(v.departments["legal"]?.hourlyCostCents == 12000)
        #expect(v.departments["sales"]?.hourlyCostCents == 5500)
        #expect(v.outcomes["contract"] == .init(department: "legal", valueCents: 120_000, meaning: "signed"))
        #expect(v.channels["mastodon"] == .init(aliases: ["toot", "fedi"], defaultDurationSeconds: 420))
        #expect(v.costPerConversationCents == 75)
        #expect(v.defaultDurationSeconds == 1200)
        #expect(config.privacy.employeeFigures == .pseudonymous)
        #expect(config.parseSettings(now: 0).channelAliases["toot"] == "mastodon")
        #expect(config.parseSettings(now: 0).channelAliases["x"] == "twitter")
    }

    @Test(
        "valuation mistakes name the key",
        arguments: [
            ("[department.sales]\nhourly_cost = -5", "department.sales.hourly_cost", "not negative"),
            ("[department.sales]\nhourly_cost = 5 EUR", "department.sales.hourly_cost", "without currency"),
            ("[department.sales]\nrate = 5", "department.sales.rate", "hourly_cost"),
            ("[outcome.won]\ndepartment = legal", "outcome.won.department", "unknown department"),
            ("[channel.zulip]\naliases = x", "channel.zulip.aliases", "already names"),
            ("[channel.twitter]\ndefault_duration = soon", "channel.twitter.default_duration", "duration"),
            ("[privacy]\nemployee_figures = yes", "privacy.employee_figures", "pseudonymous"),
            ("[department.a b]\nhourly_cost = 1", "department.a b.hourly_cost", "letters"),
        ] as [(String, String, String)]
    )
    func mistakes(text: String, key: String, words: String) {
        #expect {
            try DialogConfig.parse(text)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.key == key && error.description.contains(words)
        }
    }

    @Test("the effective valuation text parses back to the same configuration")
    func valuationTextRoundTrips() throws {
        var config = try DialogConfig.parse("""
            [department.legal]
            hourly_cost = 120.05
            [outcome.refund]
            value = -12.34
            meaning = money back # not a comment inside quotes
            [channel.mastodon]
            aliases = toot
            default_duration = 95s
            [privacy]
            employee_figures = named
            """)
        config.valuation.outcomes["refund"]?.meaning = "money back"
        let text = config.effectiveINI
        #expect(try DialogConfig.parse(text).valuation == config.valuation)
        #expect(try DialogConfig.parse(text).privacy == config.privacy)
        #expect(text.contains("value = -12.34"))
        #expect(text.contains("default_duration = 95s"))
    }

    @Test("cost rounds half up on the exact rational; value falls back to the outcome")
    func pricing() {
        let valuation = Valuation()
        // 25 min in sales at 55.00/h: 1500 × 5500 / 3600 = 2291.67 → 2292, + 50 per conversation.
        let lead = ConversationRecord(date: 0, employee: "a", channel: "xing", outcome: "lead", durationSeconds: 1500)
        // A lead counts its value × probability 0.2 (expected value): 80.00 → 16.00.
        #expect(valuation.price(lead) == PricedConversation(department: "sales", outcome: "lead", durationSeconds: 1500, costCents: 2342, valueCents: 1600))
        // Exactly half a cent rounds up: 9 s at 1.00/h... 9 × 100 / 3600 = 0.25 → 0; 18 s → 0.5 → 1.
        #expect(Valuation.timeCost(seconds: 18, centsPerHour: 100) == 1)
        #expect(Valuation.timeCost(seconds: 17, centsPerHour: 100) == 0)
        // Channel default duration (twitter 10 m) and the logged value win over the outcome default.
        let tweet = ConversationRecord(date: 0, employee: "a", channel: "twitter", department: "service", outcome: "resolved", valueCents: 1234)
        #expect(valuation.price(tweet) == PricedConversation(department: "service", outcome: "resolved", durationSeconds: 600, costCents: 667 + 50, valueCents: 1234))
        // Nothing known: global default 15 m at the default hourly cost 45.00 → 11.25 + 0.50; value 0.
        let bare = ConversationRecord(date: 0, employee: "a")
        #expect(valuation.price(bare) == PricedConversation(department: nil, outcome: nil, durationSeconds: 900, costCents: 1175, valueCents: 0))
    }

    @Test("the fingerprint ignores meanings and order, but not rates")
    func fingerprint() throws {
        let base = Valuation(try DialogConfig.parse("").valuation)
        let reworded = Valuation(try DialogConfig.parse("[outcome.won]\nmeaning = deal").valuation)
        let dearer = Valuation(try DialogConfig.parse("[department.service]\nhourly_cost = 41").valuation)
        #expect(base.fingerprint == reworded.fingerprint)
        #expect(base.fingerprint != dearer.fingerprint)
        #expect(base.fingerprint.count == 64)
    }
}
