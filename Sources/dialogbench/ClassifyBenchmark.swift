import DialogCore
import Foundation

/// Scenario `classify` (issue 5), in process on one core: training time for N documents,
/// model memory after them, classifications (all three dimensions, tokenizing included) per
/// second. Texts are German and English sentences built from varied word lists, so the
/// vocabulary keeps growing as it does with real text.
enum ClassifyBenchmark {
    static func run(_ n: Int) -> String {
        var g = SystemRandomNumberGenerator()
        let departments = ["sales", "billing", "service", "marketing", "feedback"]
        let outcomes = ["won", "lead", "lost", "resolved", "escalated", "unresolved", "engaged", "idea", "bug", "complaint"]
        let sentiments = ["positive", "neutral", "negative"]
        let words = (0..<20_000).map { i in "wort\(i)" } + Tokenizer.tokens("""
            Angebot Preis Lizenzen Rechnung Erstattung Lieferung Paket Passwort Newsletter Beschwerde Bewertung
            quote price licences invoice refund delivery parcel password newsletter complaint review order cancel
            """)
        func text() -> String {
            (0..<Int.random(in: 8...30, using: &g)).map { _ in words.randomElement(using: &g)! }.joined(separator: " ")
                + (Bool.random(using: &g) ? " Vielen Dank, 1.200,50 € bis https://example.com" : " thanks, see @kunde")
        }
        let texts = (0..<n).map { _ in text() }
        let labels = (0..<n).map { i in (departments[i % 5], outcomes[i % 10], sentiments[i % 3]) }

        let rssBefore = residentKiB()
        var classifier = Classifier()
        let trainStart = DispatchTime.now().uptimeNanoseconds
        for i in 0..<n {
            let d = Document(text: texts[i])
            classifier.learn(d, dimension: .department, label: labels[i].0)
            classifier.learn(d, dimension: .outcome, label: labels[i].1)
            classifier.learn(d, dimension: .sentiment, label: labels[i].2)
        }
        let trainSeconds = Double(DispatchTime.now().uptimeNanoseconds - trainStart) / 1e9
        let rssAfter = residentKiB()

        let probes = min(n, 50_000)
        var sink = 0
        let classifyStart = DispatchTime.now().uptimeNanoseconds
        for i in 0..<probes {
            let d = Document(text: texts[i])
            sink &+= classifier.classify(d, text: texts[i]).count
        }
        let classifySeconds = Double(DispatchTime.now().uptimeNanoseconds - classifyStart) / 1e9
        precondition(sink == probes * 3)
        return """
            | scenario | documents | training | model tables | RSS growth | classifications/s |
            |---|---|---|---|---|---|
            """ + "\n" + String(format: "| classify (3 dimensions, one core) | %d | %.2f s | %.1f MiB | %.1f MiB | %.0f /s |",
                                n, trainSeconds, Double(classifier.memoryBytes) / 1_048_576,
                                Double(rssAfter - rssBefore) / 1024, Double(probes) / classifySeconds)
    }

    static func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}
