#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// dialogctl: the command-line client of dialogd's control socket (docs/protocol.md).
/// The environment is read by name: copying all of it into a dictionary was a twentieth of a
/// `status` run (issue 17).
exit(Dialogctl.run(Array(CommandLine.arguments.dropFirst()), environment: { getenv($0).map { String(cString: $0) } }))
