import DialogCore
import Foundation

/// The questions of `dialogctl log` on a terminal: each field with its default in brackets,
/// the classifier's suggestion for department, outcome and sentiment when the daemon offers
/// one, and the field asked again when the daemon's parser refuses its answer.
struct LogPrompter {
    let session: Session
    let settings: ParseSettings
    let valuation: ValuationConfig?

    static let order: [(Field, String)] = [
        (.employee, "Employee"), (.date, "Date"), (.channel, "Channel"), (.customer, "Customer"), (.subject, "Subject"),
        (.text, "What was said (one line)"), (.department, "Department"), (.outcome, "Outcome"), (.sentiment, "Sentiment"),
        (.duration, "Your time (25m, 1h30m)"), (.value, "Value gained or saved (empty: the outcome's default)"),
        (.satisfaction, "Customer satisfaction 1-5"),
    ]

    /// The final values and the record they make; nil when input ended or the user declined.
    mutating func ask(_ start: [Field: String]) -> ([Field: String], ConversationRecord)? {
        var values = start
        var suggested = false
        for (field, label) in Self.order {
            if [.department, .outcome, .sentiment].contains(field), !suggested {
                suggested = true
                for (name, suggestion) in suggestions(values[.text] ?? "") where values[name] == nil { values[name] = suggestion }
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
                      let label = Self.order.first(where: { $0.0 == name })?.1 ?? Optional(name.rawValue),
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
        guard !text.isEmpty, let result = try? session.call(ControlRequest(command: "classify", args: ["text": .string(text)]), timeoutSeconds: 5),
              let fields = ExportFormat.fields(result) else { return [:] }
        var out: [Field: String] = [:]
        var notes: [String] = []
        for (key, field) in [("department", Field.department), ("outcome", .outcome), ("sentiment", .sentiment)] {
            guard let label = fields[key].flatMap(ExportFormat.fields), case .string(let name)? = label["label"], !name.isEmpty,
                  name != "unclassified", name != "unassigned" else { continue }
            out[field] = name
            if case .number(let c)? = label["confidence"], let confidence = Double(c) {
                notes.append("\(key) \(name) (\(Int((confidence * 100).rounded())) %)")
            }
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
