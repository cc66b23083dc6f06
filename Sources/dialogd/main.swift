import DialogDaemon
import Foundation
#if canImport(Glibc)
/// glibc's `mallopt(3)` (malloc.h is not in the Glibc module); `M_MMAP_THRESHOLD` is -3.
@_silgen_name("mallopt") func mallopt(_ parameter: Int32, _ value: Int32) -> Int32

// A fixed mmap threshold: a freed large buffer (a 1 MB record's line, text, statement copy) goes back
// to the kernel at once. glibc's default raises the threshold after the first such free, and the
// next large buffers then stay in the heap of whichever thread freed them (RSS, docs/spool.md's 64 MiB).
_ = mallopt(-3, 256 * 1024)
#endif

exit(DaemonCommand.main(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment))
