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
