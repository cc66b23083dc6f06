#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogStore
import DialogSystem

/// `backup`: an online copy of the store to `path` (absolute, must not exist) with SQLite's
/// backup API, a few pages per loop iteration so ingestion and other clients go on meanwhile.
struct BackupCommand: ControlCommand {
    static let role = Role.admin

    private let path: String

    init(_ request: BackupRequest) {
        path = request.path
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        var st = stat()
        guard lstat(path, &st) != 0 else { throw .badArgument("\(path) exists; dialogd never overwrites a file with a backup") }
        context.log.notice("control: uid \(origin.peer.uid) started a backup to \(path)")
        do {
            return .deferred(try BackupJob(source: context.store.database, path: path))
        } catch {
            throw .failed("cannot start the backup to \(path): \(error)")
        }
    }
}

/// A backup in progress, stepped by the control server between the loop's other work.
final class BackupJob: DeferredWork {
    /// Pages per step: 64 × 4 KiB keeps each step well under a millisecond.
    static let pagesPerStep: Int32 = 64
    private let backup: DatabaseBackup
    private let path: String
    private let started = Clock.monotonicMilliseconds()
    private var pages = 0

    private var finished = false

    init(source: Database, path: String) throws {
        self.path = path
        backup = try DatabaseBackup(source: source, destinationPath: path)
    }

    /// A copy abandoned half-way (daemon stopping) must not look like a backup.
    deinit {
        if !finished { unlink(path) }
    }

    func step(_ context: any ControlContext) -> Result<any Encodable, ControlError>? {
        do {
            let done = try backup.step(pages: Self.pagesPerStep)
            pages = max(pages, backup.pageCount)
            guard done else { return nil }
            finished = true
        } catch {
            context.log.error("control: backup to \(path) failed: \(error)")
            return .failure(.failed("backup to \(path) failed: \(error)"))
        }
        var st = stat()
        let bytes = stat(path, &st) == 0 ? Int64(st.st_size) : 0
        let elapsed = Clock.monotonicMilliseconds() - started
        context.log.notice("control: backup to \(path) done: \(bytes) bytes in \(elapsed) ms")
        return .success(BackupResult(path: path, pages: pages, bytes: bytes, milliseconds: elapsed))
    }
}
