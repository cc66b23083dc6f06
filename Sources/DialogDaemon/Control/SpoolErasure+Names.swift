import DialogCore
import DialogSystem

extension SpoolErasure {
    /// The companions a quarantined file's name carries (`ConversationStore` names none of them).
    static let companions = [".reason", ".rejects.jsonl"]

    /// Files kept in `cur/` and `quarantine/` whose name holds the identity (a writer named the
    /// file after the customer: `alice@example.com.conv`) are renamed with it blanked, inside a
    /// word too (`[forgotten].conv`, as the store's `source_file` now says), under a name free in
    /// the area (`NAME.1`, shortened to fit NAME_MAX); a quarantined file's `.reason` and rejects
    /// keep its name. Atomic renames, then one fsync per directory. Returns `area/new name`s.
    func renameNamedFiles(_ mentions: IdentityMentions) -> [String] {
        var renamed: [String] = []
        for area in areas {
            var moved = false
            let names = (try? spool.names(in: area)) ?? []
            // One stem per file: its companions (in quarantine/, by what lies beside them — a
            // dropped `x.reason` is a file) move with it, to the same new stem. By bytes: two
            // stems spelled alike are two files.
            let present = Set(names.map(ExactBytes.init))
            let companions = area == .quarantine ? Self.companions : []
            let stems = Set(names.map { name -> ExactBytes in
                guard area == .quarantine else { return ExactBytes(name) }
                if QuarantineListing.isReason(name, present: present), let stem = name.droppingByteSuffix(QuarantineListing.reasonSuffix) { return ExactBytes(stem) }
                if QuarantineListing.isRejectsFile(name, present: present), let stem = name.droppingByteSuffix(QuarantineListing.rejectsSuffix) { return ExactBytes(stem) }
                return ExactBytes(name)
            })
            for stem in stems.map(\.text).sorted(by: { $0.sortsBefore($1) }) {
                guard mentions.scrubbedFileNames(stem) != nil else { continue }
                // Numbered again from the name it is read as (`a.conv.1` → `[forgotten].conv`, `.1`…).
                let reading = SpoolNames.readingName(of: stem)
                let target = spool.freeName(for: mentions.scrubbedFileNames(reading) ?? reading, in: area, companions: Self.companions)
                for suffix in [""] + companions where spool.exists(stem + suffix, in: area) {
                    do throws(SystemError) {
                        try spool.move(stem + suffix, from: area, to: area, as: target + suffix)
                        moved = true
                        renamed.append((area == .cur ? "cur/" : "quarantine/") + target + suffix)
                    } catch {
                        // The name is the customer's: the message must not repeat it.
                        log.error("forget: could not rename a file named after the customer in \(area) (errno \(error.errno))")
                    }
                }
            }
            guard moved else { continue }
            do throws(SystemError) { try spool.sync(area) } catch { log.error("forget: could not sync \(area): \(error)") }
        }
        return renamed
    }
}
