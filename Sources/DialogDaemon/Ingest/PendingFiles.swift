import DialogCore

/// Names waiting in `new/`, each once — inotify and scans both feed it, and a name seen by both
/// must be processed once. Taken in fair turns between droppers (`FairIntake`, keyed by the
/// file's owner uid as `fstatat` gives it when the name is queued): one dropper's backlog does
/// not make another's file wait behind all of it (issue 12); each dropper's files in arrival order.
struct PendingFiles {
    private var intake = FairIntake<UInt32?, String>()
    /// Who dropped `name` (the owner of the entry in `new/`); nil when it is gone already.
    private let ownerOf: (String) -> UInt32?

    init(ownerOf: @escaping (String) -> UInt32? = { _ in nil }) {
        self.ownerOf = ownerOf
    }

    var isEmpty: Bool { intake.isEmpty }
    var count: Int { intake.count }

    func contains(_ name: String) -> Bool { intake.contains(name) }

    mutating func add(_ name: String) {
        guard !intake.contains(name) else { return }
        intake.add(name, from: ownerOf(name))
    }

    mutating func add(contentsOf names: [String]) {
        for name in names { add(name) }
    }

    /// Takes up to `limit` names, droppers in turn; they leave the set, so a later file of the
    /// same name is new work.
    mutating func take(_ limit: Int) -> [String] { intake.take(limit) }

    /// Takes as `take(_:)` does, at most `share(owner)` names of each dropper.
    mutating func take(_ limit: Int, share: (UInt32?) -> Int) -> [String] { intake.take(limit, share: share) }

    /// Whether a dropper with names waiting may give one now (`share(owner) > 0`).
    func hasNames(share: (UInt32?) -> Int) -> Bool { intake.hasItems(share: share) }

    /// Puts back the last `count` names of the latest `take`, as they were before it.
    mutating func putBack(_ count: Int) { intake.putBack(count) }
}
