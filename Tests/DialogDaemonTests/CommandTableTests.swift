@testable import DialogDaemon
import DialogCore
import Testing

/// The requests DialogCore validates (and the fuzzer reaches) are the commands the daemon runs.
@Suite("Command table")
struct CommandTableTests {
    @Test("every request has its command, and no command lacks its request")
    func sameNames() throws {
        let requests = RequestParser.requests.map { $0.name }, commands = RequestRouter.commands.map { $0.name }
        #expect(Set(requests).count == requests.count)
        #expect(Set(commands) == Set(requests))
        #expect(commands.count == requests.count)
        for name in requests { #expect(throws: Never.self) { _ = try RequestRouter.command(named: name) } }
        #expect(throws: ControlError.unknownCommand("nope")) { _ = try RequestRouter.command(named: "nope") }
    }
}
