import DialogCore

/// `classify`: labels, confidences and deciding tokens for a text, without storing anything.
/// args: `text` (required), `subject`, `satisfaction` (1–5) optional.
struct ClassifyCommand: ControlCommand {
    static let role = Role.read

    private let request: ClassifyRequest

    init(_ request: ClassifyRequest) {
        self.request = request
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let (text, subject) = (request.text, request.subject)
        let document = Document(text: text, subject: subject, satisfaction: request.satisfaction)
        let all = [subject, text].compactMap { $0 }.joined(separator: "\n")
        let d = context.labeler.classifier.classify(document, text: all, explain: true)
        return .result(ClassifyResult(department: d[.department]!, outcome: d[.outcome]!, sentiment: d[.sentiment]!))
    }
}
