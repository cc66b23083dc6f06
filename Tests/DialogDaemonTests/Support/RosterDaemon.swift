#if canImport(Glibc)
@preconcurrency import Glibc
#endif

extension DaemonProcess {
    /// A started daemon in `dir` that reads `roster` (written as `roster.csv`, mode 0600: only the
    /// daemon's user may read who works here), over the test defaults and `settings`.
    static func startWithRoster(_ dir: TestDirectory, _ roster: String, settings: [String: String] = [:]) throws -> DaemonProcess {
        dir.write("roster.csv", roster)
        chmod(dir.sub("roster.csv"), 0o600)
        return try DaemonProcess(directory: dir, settings: settings.merging(["roster.path": dir.sub("roster.csv")]) { $1 }).start()
    }
}
