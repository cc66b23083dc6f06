import DialogCore
import DialogSystem
import Foundation

/// The spool side of `forget` (docs/roi.md "Erasure"): files in `cur/` and `quarantine/` that
/// name the customer's identity as a whole word — the same identities the store's mention
/// search takes (an e-mail address, a handle, a customer number of at least 5 bytes). A
/// quarantine `.rejects.jsonl` holds other customers' rejected rows too: it is rewritten
/// without the customer's lines (atomically), not deleted; any other file that names the
/// customer goes whole, a quarantined file with its `.reason`.
struct SpoolErasure {
    let spool: SpoolDirectory
    let log: Logger

    /// Files deleted (`cur/NAME`, `quarantine/NAME`) and rejects files rewritten.
    struct Outcome {
        var deleted: [String] = []
        var rewritten: [String] = []

        mutating func record(_ change: CurChange, _ name: String) {
            switch change {
            case .deleted: deleted.append("cur/" + name)
            case .rewritten: rewritten.append("cur/" + name)
            case .failed: break
            }
        }
    }

    enum CurChange { case deleted, rewritten, failed }

    /// A spool original in `cur/` that holds the customer. A `.csv` or `.jsonl` export holds
    /// other customers' records too (an ERP export is the booked source of every order in it):
    /// rewritten without the lines that name the identity, the header kept, the file's time
    /// kept (so `archive_days` expires it as before). Any other file, a file without such a
    /// line (given only the pseudonym), a CSV with a quoted field over several lines, or one
    /// left without records, is deleted whole.
    func removeFromCur(_ name: String, _ mentions: IdentityMentions?) -> CurChange {
        let lower = name.lowercased()
        let csv = lower.hasSuffix(".csv"), jsonl = lower.hasSuffix(".jsonl")
        let path = spool.path(.cur, name)
        if let mentions, csv || jsonl,
           let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           (attributes[.size] as? Int ?? .max) <= Self.largestSearched,
           let data = FileManager.default.contents(atPath: path),
           let (kept, removed) = mentions.linesWithout(bytes: Array(data), keepingHeader: csv, csv: csv),
           removed > 0, Self.nonBlankLines(kept) > (csv ? 1 : 0) {
            do throws(SystemError) {
                try spool.writeAtomically(kept, name: name, in: .cur)
                try spool.sync(.cur)
                if let modified = attributes[.modificationDate] {
                    try? FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
                }
                return .rewritten
            } catch {
                log.error("forget: could not rewrite cur file \(name) without the customer: \(error)")
                return .failed
            }
        }
        return remove(name, in: .cur) ? .deleted : .failed
    }

    /// Lines with more than blanks: a CSV with only its header left holds no record.
    static func nonBlankLines(_ bytes: [UInt8]) -> Int {
        bytes.split(separator: 0x0A).filter { line in line.contains { $0 != 0x0D && $0 != 0x20 } }.count
    }

    /// Files over this size are not read (docs/roi.md "Erasure").
    static let largestSearched = 64 << 20

    func erase(_ mentions: IdentityMentions) -> Outcome {
        var outcome = Outcome()
        var quarantineChanged = false
        for area in [SpoolDirectory.Area.cur, .quarantine] {
            let prefix = area == .cur ? "cur/" : "quarantine/"
            for name in (try? spool.names(in: area)) ?? [] {
                guard let text = Self.text(spool.path(area, name), mentions.identity), mentions.isMentioned(in: text) else { continue }
                if area == .quarantine, name.hasSuffix(".rejects.jsonl") {
                    let (kept, removed) = mentions.linesWithout(text)
                    guard removed > 0 else { continue }
                    if kept.isEmpty {
                        if remove(name, in: area) { outcome.deleted.append(prefix + name) }
                    } else if rewrite(name, Array(kept.utf8)) {
                        outcome.rewritten.append(prefix + name)
                    }
                    quarantineChanged = true
                    continue
                }
                if area == .cur {
                    outcome.record(removeFromCur(name, mentions), name)
                    continue
                }
                if remove(name, in: area) { outcome.deleted.append(prefix + name) }
                // Its reason file goes with it: it names the file and what was wrong with it.
                if area == .quarantine, spool.exists(name + ".reason", in: .quarantine), remove(name + ".reason", in: .quarantine) {
                    outcome.deleted.append(prefix + name + ".reason")
                }
                if area == .quarantine { quarantineChanged = true }
            }
        }
        if quarantineChanged {
            do throws(SystemError) { try spool.sync(.quarantine) } catch { log.error("forget: could not sync quarantine/: \(error)") }
        }
        return outcome
    }

    func remove(_ name: String, in area: SpoolDirectory.Area) -> Bool {
        do throws(SystemError) {
            try spool.remove(name, in: area)
            return true
        } catch {
            log.error("forget: could not delete \(area) file \(name): \(error)")
            return false
        }
    }

    /// As the daemon writes its rejects files: a temporary, fsync, rename over the old one.
    private func rewrite(_ name: String, _ bytes: [UInt8]) -> Bool {
        do throws(SystemError) {
            try spool.writeAtomically(bytes, name: name, in: .quarantine)
            return true
        } catch {
            log.error("forget: could not rewrite quarantine file \(name) without the customer: \(error)")
            return false
        }
    }

    /// The file as text (invalid UTF-8 replaced, for the search only), or nil when it is too
    /// large, unreadable, or — for an ASCII identity — cannot hold it (a fast byte scan first).
    static func text(_ path: String, _ identity: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              (attributes[.size] as? Int ?? .max) <= largestSearched, let data = FileManager.default.contents(atPath: path) else { return nil }
        if identity.unicodeScalars.allSatisfy(\.isASCII), !containsFolded(data, identity) { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether `data` holds `identity` with ASCII letters compared case-insensitively.
    static func containsFolded(_ data: Data, _ identity: String) -> Bool {
        func fold(_ b: UInt8) -> UInt8 { (0x41...0x5A).contains(b) ? b | 0x20 : b }
        let needle = Array(identity.utf8).map(fold)
        guard let first = needle.first, data.count >= needle.count else { return false }
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i + needle.count <= bytes.count {
                if fold(bytes[i]) == first {
                    var j = 1
                    while j < needle.count, fold(bytes[i + j]) == needle[j] { j += 1 }
                    if j == needle.count { return true }
                }
                i += 1
            }
            return false
        }
    }
}
