import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A tmpfs of a few MiB mounted by the test over one of its directories, to make a disk fill
/// up (a filler file) or turn read-only (a read-only bind remount) for real. Needs root and
/// mount rights; `available` says whether this machine grants them.
final class SmallFilesystem {
    let path: String
    private var mounted = false

    /// Whether a tmpfs can be mounted here (root in a sandbox that allows mount(2)), and if not, why.
    static let availability: (ok: Bool, why: String) = {
        let probe = TestDirectory("mountprobe")
        guard geteuid() == 0 else { return (false, "not root: mounting a small filesystem needs root") }
        let status = (try? mountCommand(["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.path])) ?? -1
        guard status == 0 else { return (false, "mount -t tmpfs failed (status \(status)): this sandbox does not allow mounts") }
        _ = try? mountCommand(["-l", probe.path], tool: "/bin/umount")
        return (true, "")
    }()

    static var available: Bool { availability.ok }

    /// Mounts a tmpfs of `kib` KiB on `path` (created if missing).
    init(at path: String, kib: Int) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.run(["-t", "tmpfs", "-o", "size=\(kib)k,mode=0755", "tmpfs", path])
        mounted = true
    }

    deinit { unmount() }

    /// Lazy unmount, so a daemon killed a moment ago cannot make it fail.
    func unmount() {
        guard mounted else { return }
        _ = try? Self.mountCommand(["-l", path], tool: "/bin/umount")
        mounted = false
    }

    /// Fills every free byte with `name` (4 KiB writes until ENOSPC); returns the bytes written.
    @discardableResult
    func fill(_ name: String = "filler") -> Int {
        let fd = open(path + "/" + name, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let block = [UInt8](repeating: 0x5A, count: 4096)
        var total = 0
        while true {
            let n = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            total += n
        }
        // Whatever a partial page left: single bytes until nothing fits.
        while write(fd, block, 1) == 1 { total += 1 }
        return total
    }

    /// Gives the space back.
    func free(_ name: String = "filler") { unlink(path + "/" + name) }

    /// Free bytes for unprivileged writers, from statvfs.
    var freeBytes: Int {
        var st = statvfs()
        guard statvfs(path, &st) == 0 else { return -1 }
        return Int(st.f_bavail) * Int(st.f_frsize)
    }

    /// Makes `directory` a mount point of its own (a bind mount onto itself), so it can be
    /// switched read-only and back without touching anything else.
    static func bindOntoItself(_ directory: String) throws {
        try run(["--bind", directory, directory])
    }

    static func setReadOnly(_ directory: String, _ readOnly: Bool) throws {
        try run(["-o", "remount,bind,\(readOnly ? "ro" : "rw")", directory])
    }

    static func unmountLazily(_ directory: String) {
        _ = try? mountCommand(["-l", directory], tool: "/bin/umount")
    }

    /// An ext4 image of `mib` MiB, loop-mounted on `path` with `errors=remount-ro`, so the test
    /// can make the kernel turn it read-only under an open database, as a failing disk would.
    static func ext4(at path: String, image: String, mib: Int) throws -> SmallFilesystem {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard truncate(image, off_t(mib) << 20) == 0 || (creat(image, 0o600) >= 0 && truncate(image, off_t(mib) << 20) == 0) else {
            throw ClientError.failed("cannot size \(image)")
        }
        let out = TestDirectory("mkfs-out")
        let made = try spawnAndWait(["/usr/sbin/mkfs.ext4", "-q", "-F", image], environment: nil, stdout: out.sub("o"), stderr: out.sub("e"))
        guard made == 0 else { throw ClientError.failed("mkfs.ext4 exited \(made): \(out.read("e") ?? "")") }
        return try SmallFilesystem(mounting: ["-o", "loop,errors=remount-ro", image, path], at: path)
    }

    private init(mounting arguments: [String], at path: String) throws {
        self.path = path
        try Self.run(arguments)
        mounted = true
    }

    /// Whether loop-mounted ext4 with a forced error can be had here (tools, loop devices, sysfs).
    static let ext4Available: Bool = available && FileManager.default.isExecutableFile(atPath: "/usr/sbin/mkfs.ext4")
        && FileManager.default.fileExists(atPath: "/dev/loop-control") && FileManager.default.fileExists(atPath: "/sys/fs/ext4")

    /// Makes the kernel record an ext4 error on this filesystem; with `errors=remount-ro` it
    /// turns read-only at once, open files included (it stays so until unmounted and checked).
    func failExt4() throws {
        let out = TestDirectory("findmnt-out")
        _ = try spawnAndWait(["/usr/bin/findmnt", "-no", "SOURCE", path], environment: nil, stdout: out.sub("o"), stderr: out.sub("e"))
        let device = ((out.read("o") ?? "").trimmingCharacters(in: .whitespacesAndNewlines) as NSString).lastPathComponent
        guard !device.isEmpty, let handle = FileHandle(forWritingAtPath: "/sys/fs/ext4/\(device)/trigger_fs_error") else {
            throw ClientError.failed("no trigger_fs_error for \(path) (device \(device))")
        }
        try handle.write(contentsOf: Data("dialogd test: simulated disk error\n".utf8))
        try handle.close()
    }

    /// Repairs the image after `failExt4` (e2fsck -fy) and mounts it again, read-write.
    func repairAndRemount(image: String) throws {
        unmount()
        let out = TestDirectory("fsck-out")
        let fixed = try spawnAndWait(["/usr/sbin/e2fsck", "-fy", image], environment: nil, stdout: out.sub("o"), stderr: out.sub("e"))
        guard fixed <= 1 else { throw ClientError.failed("e2fsck exited \(fixed): \(out.read("o") ?? "")") }
        try Self.run(["-o", "loop,errors=remount-ro", image, path])
        mounted = true
    }

    private static func run(_ arguments: [String]) throws {
        let status = try mountCommand(arguments)
        guard status == 0 else { throw ClientError.failed("mount \(arguments.joined(separator: " ")) exited \(status)") }
    }

    private static func mountCommand(_ arguments: [String], tool: String = "/bin/mount") throws -> Int32 {
        let out = TestDirectory("mount-out")
        return try spawnAndWait([tool] + arguments, environment: nil, stdout: out.sub("stdout"), stderr: out.sub("stderr"))
    }
}
