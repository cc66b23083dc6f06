import Foundation

/// dialogctl: the command-line client of dialogd's control socket (DESIGN §6, docs/protocol.md).
exit(Dialogctl.run(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
