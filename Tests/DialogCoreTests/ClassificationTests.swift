@testable import DialogCore
import Foundation
import Testing

@Suite("tokenizer")
struct TokenizerTests {
        @Test("umlauts fold to ae/oe/ue, ß to ss, case is lowered")
    func folding() {
        #expect(Tokenizer.tokens("Müller ÄRGER Größe Straße") == ["mueller", "aerger", "groesse", "strasse"])
        #expect(Tokenizer.tokens("Mueller") == Tokenizer.tokens("Müller"))
        #expect(Tokenizer.tokens("Café RÉSUMÉ") == ["cafe", "resume"])
    }

    @Test("only a text's first 64 KiB and 10,000 words are tokenized (issue 12)")
    func tokenizerBound() {
        let words = String(repeating: "kunde ", count: 20_000)
        #expect(Tokenizer.tokens(words).count == Tokenizer.maxTokens)
        // Past 64 KiB of text nothing counts, and the word the bound cuts is dropped.
        let filler = String(repeating: "x", count: Tokenizer.maxBytes - 4)
        #expect(Tokenizer.tokens(filler + " refund") == [filler])
        #expect(Tokenizer.tokens(filler + " ab") == [filler, "ab"])
        let long = String(repeating: "é", count: Tokenizer.maxBytes)
        #expect(Document(text: "erstattung " + long).tokens == ["erstattung"])
        #expect(Document(text: long, subject: "erstattung").tokens == ["erstattung"])
    }

    @Test("URLs, e-mail addresses, handles, numbers and money become placeholders")
    func placeholders() {
        #expect(Tokenizer.tokens("see https://example.com/x?a=1 now") == ["see", Tokenizer.url])
        #expect(Tokenizer.tokens("www.shop.de") == [Tokenizer.url])
        #expect(Tokenizer.tokens("write anna@example.com") == ["write", Tokenizer.email])
        #expect(Tokenizer.tokens("@kunde123 thanks") == [Tokenizer.handle])
        #expect(Tokenizer.tokens("order 48213") == ["order", Tokenizer.number])
        #expect(Tokenizer.tokens("costs 1.200,50 €") == ["costs", Tokenizer.money])
        #expect(Tokenizer.tokens("€20 discount") == [Tokenizer.money, "discount"])
        #expect(Tokenizer.tokens("49,90 EUR zu viel") == [Tokenizer.money, "viel"])
        #expect(Tokenizer.tokens("USD 12 charge") == [Tokenizer.money, "charge"])
    }

    @Test("a URL's start is found scalar by scalar as the String way finds it, combining marks and case included")
    func urlPrefixFastPath() {
        #expect(Tokenizer.tokens("HTTP://X.DE and Www.shop.de") == [Tokenizer.url, Tokenizer.url])
        // A combining mark after the prefix makes another Character: not a URL either way.
        #expect(Tokenizer.hasURLPrefix(ArraySlice("www.\u{301}x".unicodeScalars)) == false)
        #expect(Tokenizer.hasURLPrefix(ArraySlice("http:/".unicodeScalars)) == false)
        // Prefixes whole, cut or in other case, then a few of these pieces: both ways agree.
        let starts = ["http://", "https://", "www.", "HTTP://", "Https://", "WWW.", "http:/", "https:", "www", "htp://", ""]
        let pieces: [Unicode.Scalar] = ["h", "t", "p", "s", ":", "/", "w", ".", "\u{301}", "\u{308}", "ä", "x", "\u{200D}"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let start = Array(starts.randomElement(using: &generator)!.unicodeScalars)
            let tail = (0..<Int.random(in: 0...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
            let chunk = ArraySlice(start + tail)
            #expect(Tokenizer.hasURLPrefix(chunk) == Tokenizer.hasURLPrefixOfText(chunk), "\(String(String.UnicodeScalarView(chunk)).debugDescription)")
        }
        for text in ["http://", "https://", "www.", "HtTpS://a", "wWw.a", "www.\u{301}", "http://\u{301}", "ww", ""] {
            let chunk = ArraySlice(text.unicodeScalars)
            #expect(Tokenizer.hasURLPrefix(chunk) == Tokenizer.hasURLPrefixOfText(chunk), "\(text.debugDescription)")
        }
    }

    @Test("the word sets answer exactly as their Set: every word, other tokens, canonically equivalent spellings")
    func wordSets() {
        for set in [StopWords.all, StopWords.negations, Tokenizer.currencyWords] {
            for word in set.words {
                #expect(set.contains(word))
                #expect(!set.contains(word + "x"))
            }
        }
        let others = ["", "x", "rechnung", "lieferung", "<num>", "nicht", "und", "dont", "eur", "\u{212A}", "e\u{301}", "caf\u{E9}", "k"]
        for token in others {
            for set in [StopWords.all, StopWords.negations, Tokenizer.currencyWords] { #expect(set.contains(token) == set.words.contains(token), "\(token)") }
        }
        // Tokens near the words (a letter fewer, upper case) and many short ASCII tokens, some
        // sharing a word's bit: the byte comparison agrees with the Set.
        var generator = SystemRandomNumberGenerator()
        let letters = Array("abcdefghijklmnopqrstuvwxyz<>".utf8)
        for set in [StopWords.all, StopWords.negations, Tokenizer.currencyWords] {
            var near = set.words.flatMap { [String($0.dropLast()), $0.uppercased(), "x" + $0] }
            near += (0..<20_000).map { _ in String(decoding: (0..<Int.random(in: 1...6, using: &generator)).map { _ in letters.randomElement(using: &generator)! }, as: UTF8.self) }
            for token in near { #expect(set.contains(token) == set.words.contains(token), "\(token)") }
        }
        let accented = WordSet(["caf\u{E9}", "tea"])
        #expect(accented.contains("cafe\u{301}") && accented.contains("tea") && !accented.contains("cafe"))
    }

    @Test("stop words of both languages go, negations stay")
    func stopWords() {
        #expect(Tokenizer.tokens("Ich habe die Rechnung nicht bekommen") == ["rechnung", "nicht", "bekommen"])
        #expect(Tokenizer.tokens("I did not get the invoice") == ["not", "invoice"])
        #expect(Tokenizer.tokens("don't") == ["dont"])
    }

    @Test("punctuation splits words; empty and odd input is harmless")
    func punctuation() {
        #expect(Tokenizer.tokens("Hallo!!! Lieferung?? (kaputt)") == ["lieferung", "kaputt"])
        #expect(Tokenizer.tokens("") == [])
        #expect(Tokenizer.tokens("   \n\t ") == [])
        #expect(Tokenizer.tokens("\u{0}\u{FFFD}@ # €") == [])
        #expect(Tokenizer.tokens("日本語 テキスト").count == 2)
    }

    @Test("features include word bigrams and negated words")
    func bigrams() {
        let plain = Features(text: "Rechnung falsch")
        let other = Features(text: "falsch Rechnung")
        // Same words, other order: unigrams equal, bigrams differ.
        #expect(plain.buckets != other.buckets)
        #expect(Set(plain.buckets).intersection(other.buckets).count >= 2)
        #expect(Features(text: "nicht gut").buckets != Features(text: "gut nicht").buckets)
    }
}

@Suite("classifier")
struct ClassifierTests {
    /// The shared development data (outside the repository); tests that need it say so.
    static let bitextPath = ConfigTests.packageRoot + "/../shared/data/bitext-8k.jsonl"
    static var hasBitext: Bool { FileManager.default.fileExists(atPath: bitextPath) }

    static func bitext() throws -> [ConversationRecord] {
        let data = try #require(FileManager.default.contents(atPath: bitextPath))
        let reader = RecordReader(settings: ParseSettings(maxPastDays: 36_500, maxFutureDays: 3_650))
        return try reader.read(Array(data), fileName: "bitext.jsonl").records.map(\.record)
    }

    static func handwritten() throws -> [ConversationRecord] {
        let data = try #require(FileManager.default.contents(atPath: ConfigTests.packageRoot + "/Tests/Fixtures/handwritten-departments.jsonl"))
        let reader = RecordReader(settings: ParseSettings(maxPastDays: 36_500, maxFutureDays: 3_650))
        return try reader.read(Array(data), fileName: "hand.jsonl").records.map(\.record)
    }

    @Test("a new label widens the table: every count stays in its bucket and label, the new column starts at zero")
    func wideningKeepsCounts() {
        var bayes = NaiveBayes()
        let stride = { (b: NaiveBayes) in b.labels.count }
        bayes.train(Features(buckets: [3, 70_000, UInt32(NaiveBayes.buckets - 1)]), label: "a", weight: 2)
        bayes.train(Features(buckets: [3, 9]), label: "b", weight: 5)
        bayes.train(Features(buckets: [70_000]), label: "c", weight: 7)
        #expect(bayes.labels == ["a", "b", "c"] && bayes.table.count == NaiveBayes.buckets * 3)
        let cell = { (bucket: Int, label: Int) in bayes.table[bucket * stride(bayes) + label] }
        #expect([cell(3, 0), cell(70_000, 0), cell(NaiveBayes.buckets - 1, 0)] == [2, 2, 2])
        #expect([cell(3, 1), cell(9, 1), cell(70_000, 2)] == [5, 5, 7])
        #expect([cell(9, 0), cell(3, 2), cell(NaiveBayes.buckets - 1, 2)] == [0, 0, 0])
        let total: Float = 2 * 3 + 5 * 2 + 7
        #expect(bayes.table.reduce(0, +) == total)
    }

    @Test("a model given its labels up front equals one widened label by label, and the seeded sentiment model is laid out once")
    func labelsUpFront() {
        var widened = NaiveBayes()
        var upFront = NaiveBayes(labels: ["neutral", "positive", "negative"])
        // Laid out before any seed: three zero columns, in the order given.
        #expect(upFront.labels == ["neutral", "positive", "negative"] && upFront.table.count == NaiveBayes.buckets * 3)
        #expect(upFront.documents == [0, 0, 0] && upFront.totals == [0, 0, 0] && upFront.vocabulary == 0)
        #expect(!upFront.table.contains { $0 != 0 })
        // Seeded in another order, its columns keep the order given; the widened one's follow the seeds.
        for label in ["negative", "neutral", "positive"] { upFront.seedPrior(label: label, documents: 2) }
        #expect(upFront.labels == ["neutral", "positive", "negative"])
        for label in ["neutral", "positive", "negative"] { widened.seedPrior(label: label, documents: 2) }
        for (bucket, label) in [(5, "positive"), (70_000, "negative"), (NaiveBayes.buckets - 1, "neutral")] {
            widened.seed(UInt32(bucket), label: label, weight: 3)
            upFront.seed(UInt32(bucket), label: label, weight: 3)
        }
        // Field by field, as Bools: a failure must not print two tables of 786,432 floats.
        #expect(upFront.labels == widened.labels && upFront.documents == widened.documents)
        #expect(upFront.totals == widened.totals && upFront.vocabulary == widened.vocabulary)
        let sameTable = upFront.table == widened.table, same = upFront == widened
        #expect(sameTable && same)
        // The lexicon's model: its three labels in the order of its priors, one table of 3 columns.
        let seeded = SentimentLexicon.seededModel().bayes
        #expect(seeded.labels == SentimentLexicon.priors.map(\.0))
        #expect(seeded.table.count == NaiveBayes.buckets * 3)
    }

    @Test("it learns: held-out hand-written records are classified far above chance (5-fold)")
    func learns() throws {
        let examples = Evaluation.examples(try Self.handwritten(), dimension: .department)
        let report = Evaluation.kFold(examples, folds: 5, dimension: .department, config: ClassificationConfig())
        #expect(report.accuracy > 0.5)  // 5 labels: chance is about 0.24 (the largest class)
        #expect(report.macroF1 > 0.5)
    }

    @Test("bitext-8k 5-fold: near perfect, and calibrated", .enabled(if: ClassifierTests.hasBitext))
    func bitextFolds() throws {
        let examples = Evaluation.examples(try Self.bitext(), dimension: .department)
        let report = Evaluation.kFold(examples, folds: 5, dimension: .department, config: ClassificationConfig())
        #expect(report.accuracy > 0.95)
        #expect(report.macroF1 > 0.95)
        #expect(report.expectedCalibrationError < 0.05)
    }

    @Test("on text from another source (hand-written, German and English) it still beats chance", .enabled(if: ClassifierTests.hasBitext))
    func unseenSource() throws {
        let train = Evaluation.examples(try Self.bitext(), dimension: .department)
        let test = Evaluation.examples(try Self.handwritten(), dimension: .department)
        #expect(test.count >= 150)
        let report = Evaluation.run(train: train, test: test, dimension: .department, config: ClassificationConfig())
        #expect(report.macroF1 > 0.45)  // 5 classes: chance is 0.2
    }

    static func trained(_ config: ClassificationConfig = ClassificationConfig()) -> Classifier {
        var c = Classifier(config)
        let sales = ["I want to buy 40 licences", "please send a quote for the premium plan", "can I order two more chairs",
                     "we would like to purchase the enterprise edition", "what does the yearly plan cost"]
        let service = ["my parcel has not arrived", "I cannot log in to my account", "where is my delivery",
                       "password reset does not work", "change my shipping address"]
        for _ in 0..<3 {
            for t in sales { c.learn(Document(text: t), dimension: .department, label: "sales") }
            for t in service { c.learn(Document(text: t), dimension: .department, label: "service") }
        }
        return c
    }

    @Test("an explicit label wins over rules and the model")
    func explicitWins() {
        var config = ClassificationConfig()
        config.magnets["parcel"] = Magnet(name: "parcel", dimension: .department, label: "service", keywords: [["parcel"]])
        let c = Self.trained(config)
        let d = c.classify(Document(text: "my parcel is late"), text: "my parcel is late", explicit: [.department: "sales"])
        #expect(d[.department] == LabelDecision(label: "sales", confidence: 1, source: .logged))
    }

    @Test("a rule beats the model and names its keywords")
    func rulesBeatModel() {
        let plain = Self.trained()
        let text = "I want to buy a new parcel box"
        #expect(plain.decide(.department, Document(text: text), text: text).label == "sales")
        var config = ClassificationConfig()
        config.magnets["parcel"] = Magnet(name: "parcel", dimension: .department, label: "service", keywords: [["parcel"]])
        config.magnets["box"] = Magnet(name: "box", dimension: .department, label: "service", patterns: ["\\bbox(es)?\\b"], weight: 2)
        let ruled = Self.trained(config)
        let d = ruled.decide(.department, Document(text: text), text: text)
        #expect(d.label == "service" && d.source == .rule && d.confidence == 1)
        #expect(Set(d.tokens) == ["parcel", "box"])
    }

    @Test("below min_confidence the label is unclassified, with its confidence kept")
    func threshold() {
        var config = ClassificationConfig()
        config.minConfidence = 0.999
        let strict = Self.trained(config)
        let d = strict.decide(.department, Document(text: "hello there"))
        #expect(d.label == LabelDecision.unclassified && d.source == .model && d.confidence < 0.999)
        config.minConfidence = 0
        #expect(Self.trained(config).decide(.department, Document(text: "hello there, about the quote")).label != LabelDecision.unclassified)
        // No feature the model has seen: the prior alone would decide, so it abstains at any threshold.
        #expect(Self.trained(config).decide(.department, Document(text: "hello there")).label == LabelDecision.unclassified)
        #expect(Classifier().decide(.department, Document(text: "anything")).label == LabelDecision.unclassified)
    }

    @Test("deciding tokens are the words that pulled to the label")
    func decidingTokens() {
        let d = Self.trained().decide(.department, Document(text: "send me a quote for licences"), explain: true)
        #expect(d.label == "sales")
        #expect(d.tokens.contains("quote") || d.tokens.contains("licences"))
    }

    @Test("unlearning takes a document's evidence back exactly")
    func unlearn() {
        var c = Self.trained()
        let doc = Document(text: "invoice question about vat")
        let before = c.models[.department]!.bayes
        for _ in 0..<5 { c.learn(doc, dimension: .department, label: "billing") }
        #expect(c.decide(.department, doc).label == "billing")
        for _ in 0..<5 { c.unlearn(doc, dimension: .department, label: "billing") }
        let after = c.models[.department]!.bayes
        let stride = after.labels.count
        #expect((0..<(1 << Features.bits)).allSatisfy { b in after.table[b * stride] == before.table[b * 2] && after.table[b * stride + 1] == before.table[b * 2 + 1] })
        #expect(after.documents.prefix(2) == before.documents[...] && after.vocabulary == before.vocabulary)
        #expect(c.decide(.department, doc).label != "billing")  // a label without documents is never predicted
    }

    @Test("sentiment works before training, in German and English, and hears satisfaction")
    func sentimentSeeds() {
        var config = ClassificationConfig()
        config.minConfidence = 0
        let c = Classifier(config)
        func label(_ text: String, _ satisfaction: Int? = nil) -> String {
            c.decide(.sentiment, Document(text: text, satisfaction: satisfaction)).label
        }
        #expect(label("Super Service, vielen Dank, sehr zufrieden!") == "positive")
        #expect(label("Great support, thank you, problem solved quickly") == "positive")
        #expect(label("Das ist eine Frechheit, die Lieferung ist schon wieder kaputt") == "negative")
        #expect(label("terrible experience, still waiting for my refund") == "negative")
        #expect(label("Bitte senden Sie mir die Unterlagen zu.") == "neutral")
        #expect(label("Ich bin nicht zufrieden") == "negative")
        #expect(label("Bitte senden Sie mir die Unterlagen zu.", 1) == "negative")
        #expect(label("Bitte senden Sie mir die Unterlagen zu.", 5) == "positive")
    }
}

@Suite("magnet configuration")
struct MagnetConfigTests {
    @Test("the commented example of dialogd.conf parses when uncommented, and bad magnets are refused")
    func parses() throws {
        let text = try String(contentsOfFile: ConfigTests.packageRoot + "/config/dialogd.conf", encoding: .utf8)
        let uncommented = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let l = String(line)
            for prefix in ["# [magnet.", "# dimension =", "# label =", "# keywords =", "# pattern =", "# weight ="] where l.hasPrefix(prefix) {
                return String(l.dropFirst(2))
            }
            return l
        }.joined(separator: "\n")
        let config = try DialogConfig.parse(uncommented)
        let rechnung = try #require(config.classification.magnets["rechnung"])
        #expect(rechnung.label == "service" && rechnung.weight == 2 && rechnung.patterns.count == 1)
        #expect(rechnung.keywords.contains(["money", "back"]))
        #expect(config.classification.magnets["storno"]?.keywords.first == ["kuendigen"])
        let c = Classifier(config.classification)
        #expect(c.decide(.department, Document(text: "Ihre Re-Nr. 4711 ist falsch"), text: "Ihre Re-Nr. 4711 ist falsch").label == "service")
        #expect(throws: ConfigError.self) { try DialogConfig.parse("[magnet.x]\nlabel = sales\n") }
        #expect(throws: ConfigError.self) { try DialogConfig.parse("[magnet.x]\nlabel = sales\npattern = (unclosed\n") }
        #expect(throws: ConfigError.self) { try DialogConfig.parse("[magnet.x]\ndimension = mood\n") }
        #expect(throws: ConfigError.self) { try DialogConfig.parse("[magnet.x]\ndimension = sentiment\nlabel = happy\nkeywords = yay\n") }
        // A rule's label is one of the vocabulary (issue 18): an alias names it, anything else is refused.
        #expect(throws: ConfigError.self) { try DialogConfig.parse("[magnet.x]\ndimension = department\nlabel = billing\nkeywords = invoice\n") }
        #expect(try DialogConfig.parse("[magnet.x]\ndimension = department\nlabel = Kundendienst\nkeywords = invoice\n")
            .classification.magnets["x"]?.label == "service")
        #expect(throws: ConfigError.self) { try DialogConfig.parse("[classification]\nmin_confidence = 1.5\n") }
    }
}
