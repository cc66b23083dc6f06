import Foundation

/// dialogctl: the command-line client of dialogd's control socket (docs/protocol.md).
exit(Dialogctl.run(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
