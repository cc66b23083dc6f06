import Foundation
import Testing

/// Cheap guard for issue 12's finding 5: libdispatch's worker pool creates descriptors when it
/// starts and opens `/proc` files while work waits, and traps the process on EMFILE. The daemon's
/// targets run work off the loop on threads of their own (`ParallelThreads`, `WorkerThread`).
@Suite("No libdispatch worker pool in the daemon")
struct DispatchPoolGuardTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// What starts or feeds the pool: global or private queues, `concurrentPerform`, sources, groups.
    static let poolUses = ["DispatchQueue", "concurrentPerform", "DispatchSource", "DispatchGroup", "DispatchWorkItem", "OperationQueue"]

    @Test("the daemon's targets use no DispatchQueue, concurrentPerform or dispatch source")
    func noDispatchPool() throws {
        var offenders: [String] = []
        var files = 0
        for target in ["DialogDaemon", "DialogStore", "DialogCore", "DialogSystem", "dialogd"] {
            let root = Self.sources.appendingPathComponent(target)
            let names = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }
            for name in names where name.hasSuffix(".swift") {
                files += 1
                let text = try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = line.trimmingCharacters(in: .whitespaces)
                    guard !code.hasPrefix("//"), let use = Self.poolUses.first(where: { code.contains($0) }) else { continue }
                    offenders.append("Sources/\(target)/\(name):\(number + 1): \(use): \(code)")
                }
            }
        }
        #expect(files > 100, "found the sources at \(Self.sources.path)")
        #expect(offenders.isEmpty, "use ParallelThreads or a WorkerThread made at start (libdispatch's pool traps on EMFILE):\n\(offenders.joined(separator: "\n"))")
    }
}
