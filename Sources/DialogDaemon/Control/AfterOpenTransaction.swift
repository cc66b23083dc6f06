import DialogCore
import DialogSystem

/// An admin command (they are the ones that write) sent while a large file's transaction is
/// open waits for that transaction's end, then runs as it would have: the client waits as it did
/// when the loop stored the file in one go, while `status` and reads go on being answered.
final class AfterOpenTransaction: DeferredWork {
    private let command: any ControlCommand
    private let origin: RequestOrigin
    /// The command's own deferred work (a backup), once it has started.
    private var started: (any DeferredWork)?

    init(_ command: any ControlCommand, origin: RequestOrigin) {
        self.command = command
        self.origin = origin
    }

    var pollIntervalMilliseconds: Int64 { started?.pollIntervalMilliseconds ?? 20 }

    func step(_ context: any ControlContext) -> Result<any Encodable, ControlError>? {
        if let started { return started.step(context) }
        guard !context.storeWritesWait else { return nil }
        do throws(ControlError) {
            switch try command.run(context, origin: origin) {
            case .result(let result): return .success(result)
            case .deferred(let work):
                started = work
                return nil
            }
        } catch {
            return .failure(error)
        }
    }
}
