import DialogCore
import Foundation

struct EvaluateSubcommand: LocalSubcommand {
    static let name = "evaluate"
    static let abstract = "Measure the classifier offline on labeled record files (no daemon needed)."
    static let usage = "dialogctl evaluate --train <file> (--test <file> | --folds <k>) [--field department|outcome|sentiment] [--config <path>] [--json]"
    static let options = """
          --train <file>          Labeled records to learn from (.jsonl, .json, .csv, .conv).
          --test <file>           Labeled records to predict and score.
          --folds <k>             Instead of --test: k-fold cross-validation on --train, 2–20
                                  (record i is in fold i mod k).
          --field <name>          department, outcome or sentiment. (default: department)
          --config <path>         Use the rules ([magnet.*]) and min_confidence of this dialogd.conf.
        """

    private var train = ""
    private var test: String?
    private var folds: Int?
    private var dimension = Dimension.department

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        var train: String?
        while let token = arguments.next() {
            guard case .option(let name, let inline) = token else { throw arguments.unexpected(token) }
            switch name {
            case "--train": train = try arguments.value(of: name, inline: inline)
            case "--test": test = try arguments.value(of: name, inline: inline)
            case "--folds":
                folds = try ArgumentValues.integer(try arguments.value(of: name, inline: inline), option: name, in: 2...20, cursor: arguments)
            case "--field":
                let text = try arguments.value(of: name, inline: inline)
                guard let d = Dimension(rawValue: text) else { throw arguments.error("--field '\(text)' must be department, outcome or sentiment") }
                dimension = d
            default: throw arguments.unexpected(token)
            }
        }
        guard let train else { throw arguments.error("--train <file> is required") }
        self.train = train
        if (test == nil) == (folds == nil) { throw arguments.error("give either --test <file> or --folds <k>") }
    }

    func runLocally(json: Bool, configPath: String?) -> Int32 {
        var config = ClassificationConfig()
        var settings = ParseSettings(maxPastDays: 36_500, maxFutureDays: 3_650)
        if let configPath {
            guard let data = FileManager.default.contents(atPath: configPath), let text = String(data: data, encoding: .utf8) else {
                Dialogctl.fail("cannot read the configuration \(configPath)", code: 66)
            }
            do {
                let parsed = try DialogConfig.parse(text, layout: .system)
                config = parsed.classification
                settings.channelAliases = parsed.valuation.channelAliases
            } catch { Dialogctl.fail("\(configPath): \(error)", code: 64) }
        }
        let reader = RecordReader(settings: settings)
        let trainSet = Evaluation.examples(Self.records(train, reader), dimension: dimension)
        guard !trainSet.isEmpty else { Dialogctl.fail("\(train): no record carries a \(dimension.rawValue)", code: 65) }
        // Past the bound the model learns no more labels and would be scored on them unseen.
        let classes = Set(trainSet.map(\.label)).count
        guard classes <= NaiveBayes.maxLabels else {
            Dialogctl.fail("\(train): \(classes) different \(dimension.rawValue) labels; a model holds at most \(NaiveBayes.maxLabels)", code: 65)
        }
        let report: EvaluationReport
        if let folds {
            report = Evaluation.kFold(trainSet, folds: folds, dimension: dimension, config: config)
        } else {
            let testSet = Evaluation.examples(Self.records(test!, reader), dimension: dimension)
            guard !testSet.isEmpty else { Dialogctl.fail("\(test!): no record carries a \(dimension.rawValue)", code: 65) }
            report = Evaluation.run(train: trainSet, test: testSet, dimension: dimension, config: config)
        }
        if json {
            let encoder = WireCoding.encoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            guard let data = try? encoder.encode(report) else { Dialogctl.fail("cannot encode the report", code: 1) }
            print(String(decoding: data, as: UTF8.self))
        } else {
            Terminal.show(EvaluationText.render(report))
        }
        return 0
    }

    /// Every valid record of `path`; rejected records are counted on stderr, not fatal.
    static func records(_ path: String, _ reader: RecordReader) -> [ConversationRecord] {
        guard let data = FileManager.default.contents(atPath: path) else { Dialogctl.fail("cannot read \(path)", code: 66) }
        do {
            let parsed = try reader.read(Array(data), fileName: path)
            if !parsed.rejects.isEmpty {
                Terminal.note("\(path): \(parsed.rejects.count) record(s) skipped; first: \(parsed.rejects[0].rejection)")
            }
            return parsed.records.map(\.record)
        } catch {
            Dialogctl.fail("\(path): \(error)", code: 65)
        }
    }
}
