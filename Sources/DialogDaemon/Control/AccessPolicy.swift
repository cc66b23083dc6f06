#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore

/// What a peer may do: read commands need `read`, commands that change state need `admin`.
enum Role: Int, Sendable, Comparable, CustomStringConvertible {
    case none = 0, read = 1, admin = 2

    static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }

    var description: String {
        switch self {
        case .none: return "none"
        case .read: return "read"
        case .admin: return "admin"
        }
    }
}

/// docs/protocol.md: root and the daemon's own uid are admins, members of `admin_group` admins,
/// members of `query_group` readers, everyone else nothing. Group lists come from the user
/// database (getgrouplist) and are cached briefly, since NSS lookups can be slow.
final class AccessPolicy {
    private let daemonUID = geteuid()
    private var cache: [UInt32: (groups: Set<UInt32>, at: Int64)] = [:]
    private let cacheMilliseconds: Int64 = 10_000

    /// Root and the daemon's own user: admins without a group lookup, and exempt from the
    /// per-uid connection cap (they can stop the daemon anyway; monitoring may fan out).
    func isTrusted(_ peer: PeerCredentials) -> Bool { peer.uid == 0 || peer.uid == daemonUID }

    func role(of peer: PeerCredentials, access: DialogConfig.Access, now: Int64) -> Role {
        if isTrusted(peer) { return .admin }
        let groups = groups(of: peer, now: now)
        if let admin = groupID(access.adminGroup, now: now), groups.contains(admin) { return .admin }
        if let query = groupID(access.queryGroup, now: now), groups.contains(query) { return .read }
        return .none
    }

    /// The peer's gid plus every group its user belongs to.
    private func groups(of peer: PeerCredentials, now: Int64) -> Set<UInt32> {
        if let cached = cache[peer.uid], now - cached.at < cacheMilliseconds {
            return cached.groups.union([peer.gid])
        }
        if cache.count > 1024 { cache.removeAll() }
        var groups: Set<UInt32> = []
        if let entry = getpwuid(peer.uid), let name = entry.pointee.pw_name {
            let primary = entry.pointee.pw_gid
            var count: Int32 = 64
            var list = [gid_t](repeating: 0, count: Int(count))
            if getgrouplist(name, primary, &list, &count) == -1 {
                list = [gid_t](repeating: 0, count: Int(count))
                _ = getgrouplist(name, primary, &list, &count)
            }
            groups.formUnion(list.prefix(Int(max(0, count))))
            groups.insert(primary)
        }
        cache[peer.uid] = (groups, now)
        return groups.union([peer.gid])
    }

    private var groupIDs: [String: (gid: UInt32?, at: Int64)] = [:]

    /// The gid of a group name (nil when there is none), cached like the group lists.
    private func groupID(_ name: String, now: Int64) -> UInt32? {
        if let cached = groupIDs[name], now - cached.at < cacheMilliseconds { return cached.gid }
        let gid = name.isEmpty ? nil : getgrnam(name).map { $0.pointee.gr_gid }
        groupIDs[name] = (gid, now)
        return gid
    }
}
