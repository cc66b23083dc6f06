#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogSystem
import Foundation

/// A report or export written under a temporary name next to its target and renamed over it
/// only when complete and synced (`StagedFile`), so a reader never sees half of it.
final class AtomicFile {
    private(set) var target: String
    private let staged: StagedFile

    /// Creates `.NAME.XXXXXX` in the target's directory with `mode` whatever the umask (where the
    /// file system keeps modes; the file starts at 0600, so a failed chmod never widens it).
    init(_ target: String, mode: mode_t = 0o640) throws(SessionError) {
        self.target = target
        let directory = (target as NSString).deletingLastPathComponent
        let prefix = (directory.isEmpty ? "." : directory) + "/." + (target as NSString).lastPathComponent + "."
        do {
            staged = try StagedFile(in: .workingDirectory, temporary: .unique(prefix: prefix), permissions: .exactlyWherePossible(mode))
        } catch {
            throw SessionError(message: "cannot create a file next to \(target): \(error.reason)", exitCode: 1)
        }
    }

    func write(_ bytes: [UInt8]) throws(SessionError) {
        do { try staged.write(bytes) } catch { throw SessionError(error) }
    }

    func write(_ text: String) throws(SessionError) { try write(Array(text.utf8)) }

    /// fsync, rename over the target (`name`, when given, in the same directory: an outbox names
    /// an increment by the revisions it holds, known only at the end), fsync the directory
    /// where it can be opened.
    func commit(as name: String? = nil) throws(SessionError) {
        if let name { target = ((target as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name) }
        do { try staged.commit(as: target, in: .workingDirectory, replacing: true, durability: .directoryWherePossible) } catch {
            throw SessionError(error)
        }
    }
}
