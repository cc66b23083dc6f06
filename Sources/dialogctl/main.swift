import DialogCore
import Foundation

/// dialogctl: the command-line client of dialogd. This first version knows `--version` and
/// `--help`; the socket commands of DESIGN §6 arrive with the control socket.
let usage = """
    usage: dialogctl [--version] [--help] <command> [options]

    Queries and steers a running dialogd over its Unix socket.

    options:
      --version    print the version and exit
      -h, --help   show this help

    Commands (status, roi, pyramid, kpi, list, show, …) need the control socket,
    which this build does not have yet.
    """

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "--version":
    print("dialogctl \(DialogVersion.current)")
case "-h", "--help", "help":
    print(usage)
case nil:
    FileHandle.standardError.write(Data("dialogctl: a command is required\n\(usage)\n".utf8))
    exit(64)
case let command?:
    FileHandle.standardError.write(Data("dialogctl: unknown command \(command)\n\(usage)\n".utf8))
    exit(64)
}
