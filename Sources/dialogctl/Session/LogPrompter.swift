import DialogCore
import Foundation

/// The questions of `dialogctl log` on a terminal: only what a flag did not give and what
/// counts (channel, text, labels, time, value), each with its default in brackets; the date is
/// now and the employee the caller unless flags say otherwise. The classifier's suggestion for
/// department and outcome when the daemon offers one, and a field asked again when the
/// daemon's parser refuses its answer (any field, also one that was not asked).
struct LogPrompter {
    let session: Session
    let settings: ParseSettings
    let valuation: ValuationConfig?

    /// What is asked, in order; the employee only when the caller's name is unknown.
    static let order: [(Field, String)] = [
        (.employee, "Employee"), (.channel, "Channel"), (.text, "What was said (one line)"), (.department, "Department"),
        (.outcome, "Outcome"), (.duration, "Your time (25m, 1h30m)"), (.value, "Value gained or saved (empty: the outcome's default)"),
    ]

    /// Labels for fields asked again after a refusal that are not in `order`.
    static let otherLabels: [Field: String] = [
        .date: "Date", .customer: "Customer", .subject: "Subject", .sentiment: "Sentiment",
        .satisfaction: "Customer satisfaction 1-5", .responseTime: "Response time",
    ]

    /// The final values and the record they make; nil when input ended or the user declined.
    /// `given`: fields a flag set, never asked.
    mutating func ask(_ start: [Field: String], given: Set<Field>) -> ([Field: String], ConversationRecord)? {
        var values = start
        var suggested = false
        if let employee = values[.employee] {
            let date = values[.date].map { given.contains(.date) ? $0 : "now" } ?? "now"
            say("logging for \(employee), \(date) (--employee and --date change that)")
        }
        for (field, label) in Self.order where !given.contains(field) && (field != .employee || values[.employee] == nil) {
            if [.department, .outcome].contains(field), !suggested {
                suggested = true
                for (name, suggestion) in suggestions(values[.text] ?? "") where values[name] == nil && !given.contains(name) {
                    values[name] = suggestion
                }
            }
            guard let answer = question(label, values[field]) else { return nil }
            values[field] = answer.isEmpty ? nil : answer
        }
        for _ in 0..<5 {
            do {
                let record = try LogSubcommand.entry(values).validate(settings: settings, valuation: valuation)
                guard let confirm = question("Write it to the spool? (y/n)", "y"), confirm.lowercased().hasPrefix("y") || confirm.isEmpty else {
                    say("nothing written")
                    return nil
                }
                return (values, record)
            } catch {
                say("refused: \(LogSubcommand.explain(error))")
                guard let name = error.field.flatMap(Field.init(header:)),
                      let label = Self.order.first(where: { $0.0 == name })?.1 ?? Self.otherLabels[name] ?? Optional(name.rawValue),
                      let answer = question(label, values[name]) else { return nil }
                values[name] = answer.isEmpty ? nil : answer
            }
        }
        say("giving up, nothing written")
        return nil
    }

    /// Department, outcome and sentiment from the daemon's classifier; none when the daemon
    /// is unreachable or has no `classify` (a build without the classifier).
    func suggestions(_ text: String) -> [Field: String] {
        guard !text.isEmpty, let result = try? session.call(ControlRequest(command: "classify", args: ["text": .string(text)]),
                                                             as: ClassifyResult.self, timeoutSeconds: 5) else { return [:] }
        var out: [Field: String] = [:]
        var notes: [String] = []
        for (key, field, decision) in [("department", Field.department, result.department), ("outcome", .outcome, result.outcome)] {
            let name = decision.label
            guard !name.isEmpty, name != "unclassified", name != "unassigned" else { continue }
            out[field] = name
            notes.append("\(key) \(name) (\(Int((decision.confidence * 100).rounded())) %)")
        }
        if !notes.isEmpty { say("suggested by dialogd: " + notes.joined(separator: ", ")) }
        return out
    }

    /// Prints `label [default]: ` and reads one line; the default when it is empty; nil at end of input.
    func question(_ label: String, _ preset: String?) -> String? {
        FileHandle.standardError.write(Data(Escape.terminal(label + (preset.map { " [\($0)]" } ?? "") + ": ").utf8))
        guard let line = readLine(strippingNewline: true) else { say(""); return nil }
        let answer = line.trimmingWhitespace()
        if answer == "-" { return "" }
        return answer.isEmpty ? (preset ?? "") : answer
    }

    /// Messages echo what was typed or pasted (and the daemon's suggestions): controls show.
    func say(_ text: String) { FileHandle.standardError.write(Data((Escape.terminal(text, keepingNewlines: true) + "\n").utf8)) }
}
