// swift-tools-version:6.0
import PackageDescription

// dialogd: no package dependencies by design — Foundation, Glibc, Dispatch and the system libsqlite3.

// `make` (STATIC_STDLIB=yes) links a release dialogctl fully static: no dynamic loader, no
// relocation of Foundation at every start (issue 17, docs/benchmarks.md). Only with the static
// Swift stdlib can it: a plain `swift build -c release` links dialogctl dynamically.
let staticDialogctl = Context.environment["DIALOGD_STATIC_DIALOGCTL"] == "1"
// CI's AddressSanitizer stage (.ci/run) sets DIALOGD_LIBRARY_TESTS_ONLY=1: its test bundle holds the
// library suites only, and the daemon's suites run from the plain bundle against ASan-built binaries.
let libraryTestsOnly = Context.environment["DIALOGD_LIBRARY_TESTS_ONLY"] == "1"
let daemonTests: [Target] = libraryTestsOnly ? [] : [
    .testTarget(
        name: "DialogDaemonTests",
        dependencies: ["DialogDaemon", "DialogStore", "DialogCore", "dialogd", "dialogctl"]
    ),
]
let package = Package(
    name: "dialogd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dialogd", targets: ["dialogd"]),
        .executable(name: "dialogctl", targets: ["dialogctl"]),
        .executable(name: "dialogbench", targets: ["dialogbench"]),
        // For the libFuzzer package in Tests/Fuzz (a path dependency sees only products).
        .library(name: "DialogCore", targets: ["DialogCore"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Tiny C shim for Linux calls Swift's Glibc module does not declare (no _GNU_SOURCE).
        .target(name: "CDialogSystem"),
        // The one system layer (docs/design.md): errors with errno, EINTR retries, whole reads and
        // writes, staged files, the clock. A leaf: it imports no other target of ours but the shim.
        .target(name: "DialogSystem", dependencies: ["CDialogSystem"]),
        // SHA-256 blocks with the CPU's SHA instructions (record keys, issue 17); no other C in DialogCore.
        .target(name: "CSHA256"),
        .target(name: "DialogCore", dependencies: ["CSHA256"]),
        // dialogbench only: a counting malloc family, for allocations per record (issue 17).
        .target(name: "CAllocationCount"),
        .target(name: "DialogStore", dependencies: ["CSQLite", "DialogCore", "DialogSystem"]),
        .target(name: "DialogDaemon", dependencies: ["CDialogSystem", "DialogCore", "DialogStore", "DialogSystem"]),
        .executableTarget(name: "dialogd", dependencies: ["DialogDaemon"]),
        .executableTarget(
            name: "dialogctl",
            dependencies: ["DialogCore", "DialogSystem"],
            // It needs no libsqlite3, so a static build leaves nothing to load (see staticDialogctl).
            linkerSettings: staticDialogctl ? [.unsafeFlags(["-static-executable"], .when(platforms: [.linux], configuration: .release))] : []
        ),
        .executableTarget(name: "dialogbench", dependencies: ["CAllocationCount", "DialogCore", "DialogStore", "DialogDaemon", "DialogSystem"]),
        .testTarget(name: "DialogSystemTests", dependencies: ["DialogSystem"]),
        .testTarget(name: "DialogCoreTests", dependencies: ["DialogCore"]),
        .testTarget(name: "DialogStoreTests", dependencies: ["DialogStore", "DialogCore"]),
    ] + daemonTests,
    swiftLanguageModes: [.v6]
)
