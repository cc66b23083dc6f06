import DialogCore

/// Who gets a connection slot, decided at accept before a byte is read (issue 13). Refused
/// peers never hold a slot; each uid has a cap (root and dialogd's own user excepted); and
/// readers together stop `reservedForAdmins` short of the total, so a flood from reader uids
/// cannot make root's `status` answer `busy`.
struct ConnectionAdmission {
    static let maxConnections = 256
    static let maxConnectionsPerUID = 32
    static let reservedForAdmins = 32

    private(set) var total = 0
    private(set) var readers = 0
    private var perUID: [UInt32: Int] = [:]

    /// The refusal for a new peer, or nil when it may have a slot (it is then counted).
    mutating func admit(_ peer: PeerCredentials, role: Role, trusted: Bool, access: DialogConfig.Access) -> ControlError? {
        guard role > .none else {
            return .forbidden("uid \(peer.uid) may not use dialogd: not root, not dialogd's user, not in group \(access.adminGroup) or \(access.queryGroup)")
        }
        if total >= Self.maxConnections {
            return .busy("dialogd serves at most \(Self.maxConnections) connections at once; try again")
        }
        if !trusted, perUID[peer.uid, default: 0] >= Self.maxConnectionsPerUID {
            return .busy("uid \(peer.uid) already has \(Self.maxConnectionsPerUID) connections open")
        }
        if role == .read, readers >= Self.maxConnections - Self.reservedForAdmins {
            return .busy("readers hold \(readers) connections, all dialogd keeps for them (\(Self.reservedForAdmins) more are kept for admins); try again")
        }
        total += 1
        if role == .read { readers += 1 }
        perUID[peer.uid, default: 0] += 1
        return nil
    }

    /// Frees the slot of an admitted peer.
    mutating func release(_ peer: PeerCredentials, role: Role) {
        total -= 1
        if role == .read { readers -= 1 }
        let remaining = perUID[peer.uid, default: 1] - 1
        perUID[peer.uid] = remaining > 0 ? remaining : nil
    }
}
