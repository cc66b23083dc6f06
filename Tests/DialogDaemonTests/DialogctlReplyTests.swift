import DialogCore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// How the real dialogctl reads a reply it cannot use: a result that does not fit its type (a
/// field renamed on the daemon's side), a line that is no reply, a refusal. A stand-in for the
/// daemon answers each connection with one fixed line, as a daemon of another version would.
@Suite("dialogctl on replies it cannot use")
struct DialogctlReplyTests {
    /// Listens on `path` and answers the next `count` connections with `reply` after their request line.
    final class OneLineServer: @unchecked Sendable {
        let fd: Int32
        let thread: Thread

        init(path: String, reply: String, count: Int) throws {
            let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            fd = listener
            let bound = withUnixAddress(path) { bind(listener, $0, $1) }
            guard listener >= 0, bound == 0, listen(listener, 4) == 0 else { throw ClientError.failed("cannot listen on \(path): errno \(errno)") }
            thread = Thread {
                for _ in 0..<count {
                    let client = accept(listener, nil, nil)
                    guard client >= 0 else { return }
                    var byte: UInt8 = 0
                    while recv(client, &byte, 1, 0) == 1, byte != UInt8(ascii: "\n") {}
                    let line = Array((reply + "\n").utf8)
                    _ = line.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    close(client)
                }
            }
            thread.start()
        }

        deinit { close(fd) }
    }

    static let renamedStatus = #"{"ok":true,"result":{"backlog":{"new":0},"batches":0,"connections":1,"conversations":0,"database_path":"x","database_size_bytes":0,"files_archived":0,"files_quarantined":0,"ingest_paused":false,"last_batch_files":0,"last_batch_ms":0,"pid":1,"records_amended":0,"records_conflicting":0,"records_duplicate":0,"records_rejected":0,"records_saved":0,"spool_dir":"s","uptime_seconds":0,"valuation_stale":false,"version":"9","waiting":0}}"#

    @Test("a result with a renamed field: exit 1 naming the command and the missing key; --json passes it on unread")
    func renamedField() throws {
        let dir = TestDirectory("ctl-reply-renamed")
        let path = dir.sub("fake.sock")
        let server = try OneLineServer(path: path, reply: Self.renamedStatus, count: 2)
        let human = try runDialogctl(["--socket", path, "status"])
        #expect(human.status == 1, "\(human)")
        #expect(human.stderr.contains("cannot read the daemon's status result") && human.stderr.contains("records_stored"), "\(human.stderr)")
        let json = try runDialogctl(["--socket", path, "--json", "status"])
        #expect(json.status == 0, "\(json)")
        #expect(json.stdout.contains(#""records_saved" : 0"#), "\(json.stdout)")
        _ = server
    }

    @Test("a line that is no reply exits 1; a refusal exits 1 with message and code")
    func notAReplyAndRefusal() throws {
        let dir = TestDirectory("ctl-reply-bad")
        let garbage = try OneLineServer(path: dir.sub("garbage.sock"), reply: "HTTP/1.1 400 Bad Request", count: 1)
        let bad = try runDialogctl(["--socket", dir.sub("garbage.sock"), "list"])
        #expect(bad.status == 1 && bad.stderr.contains("not a JSON object: HTTP/1.1 400"), "\(bad)")
        let refusal = try OneLineServer(path: dir.sub("refuse.sock"), reply: #"{"error":{"code":"busy","message":"try later"},"ok":false}"#, count: 1)
        let refused = try runDialogctl(["--socket", dir.sub("refuse.sock"), "export", "--window", "all"])
        #expect(refused.status == 1 && refused.stderr.contains("try later [busy]"), "\(refused)")
        _ = (garbage, refusal)
    }
}
