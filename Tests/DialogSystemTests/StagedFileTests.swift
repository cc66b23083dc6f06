import DialogSystem
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The atomic write on a real directory: the whole file or none, no temporary left behind,
/// the mode asked for under any umask, never a replaced file where that is the rule.
@Suite("Staged files")
struct StagedFileTests {
    @Test("a committed file holds every byte under its name, and no temporary is left")
    func commitLeavesNoTemporary() throws {
        let dir = ScratchDirectory("commit")
        let fd = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { closeDescriptor(fd) }
        let directory = DirectoryDescriptor(fd: fd, path: dir.path)
        let file = try StagedFile(in: directory, temporary: .unique(prefix: ".report.html."), permissions: .exactly(0o640))
        #expect(file.temporaryName.hasPrefix(".report.html.") && file.temporaryName.count == ".report.html.".count + 6)
        try file.write(Array("<html>".utf8))
        try file.write(Array("</html>".utf8))
        #expect(dir.names() == [file.temporaryName], "until the commit only the temporary exists")
        try file.commit(as: "report.html", in: directory, replacing: true, durability: .directoryWherePossible)
        #expect(file.isInPlace)
        #expect(dir.names() == ["report.html"])
        #expect(dir.bytes("report.html") == Array("<html></html>".utf8))
    }

    @Test("a staged file given up (no commit) or whose commit fails leaves no temporary")
    func failureLeavesNoTemporary() throws {
        let dir = ScratchDirectory("abandon")
        do {
            let file = try StagedFile(in: .workingDirectory, temporary: .unique(prefix: dir.sub(".x.")), permissions: .umasked(0o640))
            try file.write([1, 2, 3])
        }
        #expect(dir.names().isEmpty, "released without a commit")

        mkdir(dir.sub("occupied"), 0o755)
        mkdir(dir.sub("occupied/inside"), 0o755)
        let file = try StagedFile(in: .workingDirectory, temporary: .exclusive(dir.sub("tmp-file")), permissions: .exactly(0o640))
        try file.write([4, 5, 6])
        #expect(throws: SystemError.self) {
            try file.commit(as: dir.sub("occupied"), in: .workingDirectory, replacing: true, durability: .callerSyncsDirectory)
        }
        #expect(!file.isInPlace)
        #expect(dir.names() == ["occupied"], "the temporary is gone after the failed rename")
    }

    @Test("without replacing, an existing target is an EEXIST error and stays as it was")
    func noReplace() throws {
        let dir = ScratchDirectory("noreplace")
        FileManager.default.createFile(atPath: dir.sub("new.conv"), contents: Data("first".utf8))
        let file = try StagedFile(in: .workingDirectory, temporary: .exclusive(dir.sub("tmp.conv")), permissions: .exactly(0o640))
        try file.write(Array("second".utf8))
        #expect(throws: SystemError(call: "renameat2", errno: EEXIST, subject: dir.sub("new.conv"))) {
            try file.commit(as: dir.sub("new.conv"), in: .workingDirectory, replacing: false, durability: .fileSystem)
        }
        #expect(dir.names() == ["new.conv"])
        #expect(dir.bytes("new.conv") == Array("first".utf8))
    }

    @Test("an exclusive temporary refuses a name in use; a reusable one empties what a crash left")
    func temporaryNaming() throws {
        let dir = ScratchDirectory("naming")
        FileManager.default.createFile(atPath: dir.sub("taken"), contents: Data("a writer's".utf8))
        #expect(throws: SystemError(call: "open", errno: EEXIST, subject: dir.sub("taken"))) {
            _ = try StagedFile(in: .workingDirectory, temporary: .exclusive(dir.sub("taken")), permissions: .exactly(0o640))
        }
        #expect(dir.bytes("taken") == Array("a writer's".utf8), "another writer's file is not touched")

        FileManager.default.createFile(atPath: dir.sub(".reason.tmp"), contents: Data(String(repeating: "stale ", count: 100).utf8))
        let fd = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { closeDescriptor(fd) }
        let directory = DirectoryDescriptor(fd: fd, path: dir.path)
        let file = try StagedFile(in: directory, temporary: .reusable(".reason.tmp"), permissions: .umasked(0o640))
        try file.write(Array("fresh\n".utf8))
        try file.commit(as: "bad.conv.reason", in: directory, replacing: true, durability: .callerSyncsDirectory)
        #expect(dir.names() == ["bad.conv.reason", "taken"])
        #expect(dir.bytes("bad.conv.reason") == Array("fresh\n".utf8))
    }

    @Test("an error names the call, the path and errno")
    func errorCarriesCallPathErrno() {
        let missing = "/tmp/dialogsystem-no-such-directory-\(getpid())/.x"
        do {
            _ = try StagedFile(in: .workingDirectory, temporary: .exclusive(missing), permissions: .exactly(0o640))
            Issue.record("created a file in a directory that does not exist")
        } catch {
            #expect(error == SystemError(call: "open", errno: ENOENT, subject: missing))
            #expect(error.description == "open(\(missing)): No such file or directory (errno 2)")
            #expect(error.reason == "No such file or directory")
        }
    }

    @Test("exactly 0640 under umask 077 and 000; umasked 0640 narrowed by the umask", arguments: [0o077, 0o000] as [mode_t])
    func modesUnderUmask(_ mask: mode_t) async throws {
        // The umask is the process's: each case runs in a child process, so no parallel test sees it.
        if mask == 0o077 {
            await #expect(processExitsWith: .success) { exit(StagedFileTests.modesWrong(umask: 0o077, exactly: 0o640, umasked: 0o600)) }
        } else {
            await #expect(processExitsWith: .success) { exit(StagedFileTests.modesWrong(umask: 0o000, exactly: 0o640, umasked: 0o640)) }
        }
    }

    /// Sets `umask`, stages one file of each kind and returns 0 when their modes are as expected.
    static func modesWrong(umask mask: mode_t, exactly: mode_t, umasked: mode_t) -> Int32 {
        umask(mask)
        let dir = ScratchDirectory("umask")
        do {
            for (name, permissions) in [("exact", StagedFile.Permissions.exactly(0o640)), ("wherepossible", .exactlyWherePossible(0o640)), ("umasked", .umasked(0o640))] {
                let file = try StagedFile(in: .workingDirectory, temporary: .unique(prefix: dir.sub(".t.")), permissions: permissions)
                try file.write([1])
                try file.commit(as: dir.sub(name), in: .workingDirectory, replacing: false, durability: .fileSystem)
            }
        } catch {
            print(error)
            return 2
        }
        let modes = [dir.mode("exact"), dir.mode("wherepossible"), dir.mode("umasked")]
        guard modes == [exactly, exactly, umasked] else {
            print("modes under umask \(String(mask, radix: 8)): \(modes.map { $0.map { String($0, radix: 8) } ?? "-" })")
            return 1
        }
        return dir.names() == ["exact", "umasked", "wherepossible"] ? 0 : 3
    }
}
