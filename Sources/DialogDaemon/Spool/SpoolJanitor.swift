#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogSystem

/// Keeps the spool from growing without bound: abandoned writer temporaries in `tmp/` and
/// archived originals in `cur/` past their retention are removed.
public struct SpoolJanitor {
    public var tmpMaxAgeSeconds: Int64
    /// 0 keeps nothing (the ingester deletes at once); otherwise seconds an original stays in `cur/`.
    public var archiveSeconds: Int64

    public init(tmpMaxAgeHours: Int, archiveDays: Int) {
        tmpMaxAgeSeconds = Int64(tmpMaxAgeHours) * 3600
        archiveSeconds = Int64(archiveDays) * 86_400
    }

    /// Returns how many entries were removed from `tmp/` and `cur/`.
    public func sweep(_ spool: SpoolDirectory, now: Int64, log: Logger) -> (tmp: Int, cur: Int) {
        // tmp/: age by mtime, the writer's last write. Dot-files count here too: writers use them.
        let tmp = remove(in: .tmp, of: spool, includingDotFiles: true, log: log) { st in
            now - Int64(st.st_mtim.tv_sec) > tmpMaxAgeSeconds
        }
        // cur/: age by ctime, which the rename into cur/ set — the time of ingestion.
        let cur = archiveSeconds == 0 ? 0 : remove(in: .cur, of: spool, includingDotFiles: false, log: log) { st in
            now - Int64(st.st_ctim.tv_sec) > archiveSeconds
        }
        return (tmp, cur)
    }

    private func remove(
        in area: SpoolDirectory.Area, of spool: SpoolDirectory, includingDotFiles: Bool, log: Logger,
        _ expired: (stat) -> Bool
    ) -> Int {
        let names: [String]
        do { names = try spool.names(in: area, includingDotFiles: includingDotFiles) } catch {
            log.warning("spool: cannot list \(spool.path(area)): \(error)")
            return 0
        }
        var removed = 0
        for name in names {
            var st = stat()
            guard fstatat(spool.fd(area), name, &st, AT_SYMLINK_NOFOLLOW) == 0, expired(st) else { continue }
            // Only plain files and links: a directory planted here is left for the admin.
            guard (st.st_mode & S_IFMT) != S_IFDIR else { continue }
            if unlinkat(spool.fd(area), name, 0) == 0 {
                removed += 1
            } else {
                log.warning("spool: cannot remove \(spool.path(area, name)): \(SystemError(call: "unlink", errno: errno))")
            }
        }
        return removed
    }
}
