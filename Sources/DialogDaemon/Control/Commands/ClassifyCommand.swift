import DialogCore

/// `classify`: labels, confidences and deciding tokens for a text, without storing anything.
/// args: `text` (required), `subject`, `satisfaction` (1–5) optional.
struct ClassifyCommand: ControlCommand {
    static let name = "classify"
    static let role = Role.read
    static let argumentNames: Set<String> = ["text", "subject", "satisfaction"]

    private let text: String
    private let subject: String?
    private let satisfaction: Int?

    init(_ arguments: CommandArguments) throws(ControlError) {
        text = try arguments.requiredString("text")
        subject = try arguments.string("subject")
        satisfaction = try arguments.integer("satisfaction", in: 1...5).map { Int($0) }
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let document = Document(text: text, subject: subject, satisfaction: satisfaction)
        let all = [subject, text].compactMap { $0 }.joined(separator: "\n")
        let d = context.labeler.classifier.classify(document, text: all, explain: true)
        return .result(ClassifyResult(department: d[.department]!, outcome: d[.outcome]!, sentiment: d[.sentiment]!))
    }
}
