// swift-tools-version:6.0
import Foundation
import PackageDescription

// libFuzzer targets for the record parsers, the control-socket request decoder and the
// classifier snapshot decoder.
// Built only as `swift build -c release --sanitize=fuzzer` (libFuzzer supplies `main`), so they
// live in a package of their own: the root's `swift build` and `swift test` never see them.
// Run them with Tests/Fuzz/run (docs/reliability.md).
//
// The root package is a path dependency; SwiftPM names it after its directory, whatever the
// checkout is called.
let rootIdentity = URL(fileURLWithPath: Context.packageDirectory)
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let dialogCore = Target.Dependency.product(name: "DialogCore", package: rootIdentity)

let package = Package(
    name: "dialogd-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "../..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [dialogCore]),
        .executableTarget(name: "FuzzConv", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzJSONLines", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzMail", dependencies: ["FuzzSupport"]),
        // The request validation is DialogCore's (RequestParser): no store, no daemon to build.
        .executableTarget(name: "FuzzRequest", dependencies: [dialogCore]),
        // The classifier snapshot a store keeps (ModelCodec): a damaged blob is refused, not trusted.
        .executableTarget(name: "FuzzModel", dependencies: [dialogCore]),
    ],
    swiftLanguageModes: [.v6]
)
