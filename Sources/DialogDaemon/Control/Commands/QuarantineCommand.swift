#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogSystem

/// `quarantine`: refused files with their reasons, and the reject files of partly stored ones,
/// the first `limit` by name: droppers decide how many there are, and each costs a read.
struct QuarantineCommand: ControlCommand {
    static let limit = 1000
    static let role = Role.read

    init(_ request: QuarantineRequest) {}

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let (entries, omitted) = QuarantineListing.entries(context.spool, limit: Self.limit)
        return .result(QuarantineResult(entries: entries, omitted: omitted > 0 ? omitted : nil))
    }
}

/// Reads `quarantine/`: `NAME` with its `NAME.reason` is a refused file; `NAME.rejects.jsonl`
/// holds the rejected records of a file that was otherwise stored.
enum QuarantineListing {
    static let reasonSuffix = RetryRequest.reasonSuffix
    static let rejectsSuffix = RetryRequest.rejectsSuffix
    /// Longest reason text returned (the file is written by us, but keep replies bounded).
    static let maxReasonBytes = 4096

    /// The first `limit` entries by name, and how many more there are.
    static func entries(_ spool: SpoolDirectory, limit: Int) -> (entries: [QuarantineEntry], omitted: Int) {
        guard let names = try? spool.names(in: .quarantine) else { return ([], 0) }
        let present = Set(names.map(ExactBytes.init))
        let listed = files(names, present: present).sorted()
        var entries: [QuarantineEntry] = []
        for name in listed.prefix(limit) {
            var st = stat()
            guard fstatat(spool.fd(.quarantine), name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let isRejects = isRejectsFile(name, present: present)
            entries.append(QuarantineEntry(
                name: name, kind: isRejects ? "rejects" : "file", bytes: Int64(st.st_size), modified: Int64(st.st_mtim.tv_sec),
                reason: isRejects ? nil : reason(of: name, in: spool)))
        }
        return (entries, listed.count - min(listed.count, limit))
    }

    /// The entries among `quarantine/`'s names: `NAME.reason` beside `NAME` is its reason, not an
    /// entry; a dropped file itself named `x.reason` (refused: its reason is `x.reason.reason`) is one.
    static func files(_ names: [String], present: Set<ExactBytes>? = nil) -> [String] {
        let present = present ?? Set(names.map(ExactBytes.init))
        return names.filter { !isReason($0, present: present) }
    }

    /// Whether `name` is the reason of a quarantined file lying beside it.
    static func isReason(_ name: String, present: Set<ExactBytes>) -> Bool {
        guard let stem = name.droppingByteSuffix(reasonSuffix), !stem.isEmpty else { return false }
        return present.contains(ExactBytes(stem))
    }

    /// `isReason` and `isRejectsFile` asked of the directory itself (one `fstatat`), for a single name.
    static func isReason(_ name: String, in spool: SpoolDirectory) -> Bool {
        guard let stem = name.droppingByteSuffix(reasonSuffix), !stem.isEmpty else { return false }
        return spool.exists(stem, in: .quarantine)
    }

    static func isRejectsFile(_ name: String, in spool: SpoolDirectory) -> Bool {
        name.hasByteSuffix(rejectsSuffix) && name.utf8.count > rejectsSuffix.utf8.count && !spool.exists(name + reasonSuffix, in: .quarantine)
    }

    /// Whether `name` holds the rejected records of a partly stored file, rather than being a
    /// refused file of that name (which has a `.reason` beside it).
    static func isRejectsFile(_ name: String, present: Set<ExactBytes>) -> Bool {
        name.hasByteSuffix(rejectsSuffix) && name.utf8.count > rejectsSuffix.utf8.count && !present.contains(ExactBytes(name + reasonSuffix))
    }

    /// The reason of `NAME.reason` without the leading "original-name: " (one escaped line, as
    /// `ReasonLine` wrote it; a file in any other shape is shown whole, on one line).
    static func reason(of name: String, in spool: SpoolDirectory) -> String? {
        let fd = openat(spool.fd(.quarantine), name + reasonSuffix, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { closeDescriptor(fd) }
        var buffer = [UInt8](repeating: 0, count: maxReasonBytes)
        let n = buffer.withUnsafeMutableBytes { raw in (try? syscall("read") { read(fd, raw.baseAddress, raw.count) }) ?? 0 }
        let text = String(decoding: buffer[0..<n], as: UTF8.self)
        if let line = ReasonLine.parse(text) { return line.reason }
        var whole = Substring(text)
        while whole.last?.isNewline == true { whole.removeLast() }
        return ReasonLine.escape(String(whole), inName: false)
    }
}
