import DialogCore
import Foundation
import Testing

/// The fuzzers' committed corpus (Tests/Fuzz/Corpus), replayed in the normal suite: a crasher a
/// fuzzer finds is added there (and fixed), so it is checked on every `swift test`, fuzzer or not.
@Suite("Fuzz corpus replay")
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus").path

    /// Every input of a record format, as (format directory, file name).
    static var inputs: [String] {
        ["conv", "json", "jsonl", "csv", "mail"].flatMap { format in
            ((try? FileManager.default.contentsOfDirectory(atPath: corpus + "/" + format)) ?? []).sorted().map { format + "/" + $0 }
        }
    }

    @Test("the corpus is there (the replay below is not vacuous)")
    func corpusPresent() {
        #expect(Self.inputs.count >= 8, "\(Self.corpus)")
    }

    @Test("each input parses to complete records or is refused with a reason — the fuzzers' invariants", arguments: inputs)
    func replay(input: String) throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.corpus + "/" + input))
        var format = String(input.split(separator: "/")[0])
        var settings = ParseSettings(now: 1_795_900_000)
        if format == "mail" {
            // Seeds are named by their format (`x.eml`, `y.mbox`); the fuzzer's roster knows their employees.
            format = input.hasSuffix(".mbox") ? "mbox" : "eml"
            let roster = "employee,department,addresses\nanna.schmidt,vertrieb,anna.schmidt@example.com a@b.c\nben,service,service@example.com\n"
            settings.roster = try Roster.parse(Array(roster.utf8), source: "fuzz-roster.csv")
        }
        do {
            let file = try RecordReader(settings: settings).read(Array(bytes), fileName: "fuzz." + format)
            #expect(!file.records.isEmpty)
            for parsed in file.records {
                #expect(!parsed.record.employee.isEmpty)
                #expect(parsed.record.date <= settings.now + Int64(settings.maxFutureDays) * 86_400)
                #expect(RecordKey.make(for: parsed.record) == RecordKey.make(for: parsed.record))
            }
            for reject in file.rejects { #expect(!reject.rejection.description.isEmpty) }
        } catch {
            #expect(!error.description.isEmpty)
        }
    }

    static var models: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus + "/model")) ?? []).sorted()
    }

    @Test("each classifier snapshot decodes to a model that encodes back the same, or is refused with a reason (FuzzModel)", arguments: models)
    func replayModel(input: String) throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.corpus + "/model/" + input))
        do {
            let model = try ModelCodec.decode(Array(bytes))
            #expect(model.bayes.labels.count <= NaiveBayes.maxLabels)
            let again = try ModelCodec.decode(ModelCodec.encode(model))
            #expect(again.bayes == model.bayes && again.evidence == model.evidence)
        } catch {
            #expect(!error.description.isEmpty)
        }
    }
}
