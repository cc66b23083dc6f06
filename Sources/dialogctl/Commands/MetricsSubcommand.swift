import DialogCore
import Foundation

struct MetricsSubcommand: Subcommand {
    static let name = "metrics"
    static let abstract = "Print metrics in the Prometheus text format (ingest counters, backlog gauges)."
    static let usage = "dialogctl metrics [--json]"

    init(_ arguments: inout ArgumentCursor) throws(UsageError) { try arguments.expectEnd() }

    var request: ControlRequest { ControlRequest(command: "metrics") }
    var isMachineFormat: Bool { true }

    func render(_ result: MetricsResult) -> String {
        var text = result.text
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
