import Foundation
import Testing

/// Cheap guard for issue 16's one system layer: interrupted calls are retried and errno is put
/// into words in Sources/DialogSystem only, so no other module grows a loop or a strerror of its own.
@Suite("One system layer")
struct SystemLayerGuardTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    @Test("EINTR and strerror appear in Sources/DialogSystem only")
    func noSystemLoopsOutside() throws {
        let files = try #require(FileManager.default.enumerator(atPath: Self.sources.path)).compactMap { $0 as? String }
        let swiftFiles = files.filter { $0.hasSuffix(".swift") || $0.hasSuffix(".c") || $0.hasSuffix(".h") }
        #expect(swiftFiles.count > 100, "found the sources at \(Self.sources.path)")
        var offenders: [String] = []
        for file in swiftFiles where !file.hasPrefix("DialogSystem/") {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("EINTR") || line.contains("strerror") {
                offenders.append("Sources/\(file):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(offenders.isEmpty, "retry with syscall/retryingInterrupted and describe with SystemError (Sources/DialogSystem):\n\(offenders.joined(separator: "\n"))")
    }

    @Test("DialogSystem stays a leaf: it imports libc and its C shim, nothing of ours above it")
    func systemLayerIsLeaf() throws {
        let directory = Self.sources.appendingPathComponent("DialogSystem")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".swift") }
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let imports = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("import ") || $0.hasPrefix("@preconcurrency import ") }
                .compactMap { $0.split(separator: " ").last.map(String.init) }
            #expect(imports.allSatisfy { ["Glibc", "CDialogSystem"].contains($0) }, "Sources/DialogSystem/\(file) imports \(imports)")
        }
    }
}
