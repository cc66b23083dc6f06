@testable import DialogDaemon
import DialogCore
import Testing

/// Who gets a connection slot (issue 13 item 4), on the admission rules alone: the real socket
/// tests (`Socket under attack`, `Control socket access`) show the same through the daemon.
@Suite("Connection admission")
struct ConnectionAdmissionTests {
    static let access = DialogConfig(layout: .system).access

    static func peer(_ uid: UInt32) -> PeerCredentials { PeerCredentials(pid: 1, uid: uid, gid: uid) }

    @Test("readers of many uids stop 32 short of the total: admins and root still get slots")
    func readersLeaveRoomForAdmins() {
        var admission = ConnectionAdmission()
        var admitted = 0
        for uid in UInt32(1000)..<1300 {
            if admission.admit(Self.peer(uid), role: .read, trusted: false, access: Self.access) == nil { admitted += 1 }
        }
        #expect(admitted == ConnectionAdmission.maxConnections - ConnectionAdmission.reservedForAdmins)
        let refusal = admission.admit(Self.peer(2000), role: .read, trusted: false, access: Self.access)
        #expect(refusal?.code == "busy")
        #expect(admission.admit(Self.peer(0), role: .admin, trusted: true, access: Self.access) == nil, "root")
        #expect(admission.admit(Self.peer(3000), role: .admin, trusted: false, access: Self.access) == nil, "an admin_group member")
    }

    @Test("refused peers take no slot; a uid's cap binds everyone but root and dialogd's user")
    func refusedAndPerUID() {
        var admission = ConnectionAdmission()
        for _ in 0..<2000 {
            #expect(admission.admit(Self.peer(65534), role: .none, trusted: false, access: Self.access)?.code == "forbidden")
        }
        #expect(admission.total == 0)
        for _ in 0..<ConnectionAdmission.maxConnectionsPerUID {
            #expect(admission.admit(Self.peer(1000), role: .read, trusted: false, access: Self.access) == nil)
        }
        #expect(admission.admit(Self.peer(1000), role: .read, trusted: false, access: Self.access)?.code == "busy")
        for _ in 0..<40 { #expect(admission.admit(Self.peer(0), role: .admin, trusted: true, access: Self.access) == nil) }
        admission.release(Self.peer(1000), role: .read)
        #expect(admission.admit(Self.peer(1000), role: .read, trusted: false, access: Self.access) == nil, "a freed slot is reused")
        #expect(admission.total == 32 + 40 && admission.readers == 32)
    }
}
