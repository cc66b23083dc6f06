import DialogDaemon
import Foundation

exit(DaemonCommand.main(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment))
