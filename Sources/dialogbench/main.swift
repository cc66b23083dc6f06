import Foundation

/// dialogbench: reproducible speed and memory figures for docs/benchmarks.md.
/// Build and run in release mode: `swift build -c release && .build/release/dialogbench all`.
let usage = """
    usage: dialogbench <scenario> [--count N] [--days D] [--rounds R] [--minutes M]

    scenarios (each starts the real release-built dialogd on a fresh temp directory):
      files   N single-record .conv files renamed into new/ (default 100000)
      predropped  the same files in new/ before dialogd starts, timed from its start
      jsonl   one .jsonl file of N records (default 100000)
      all     both, with defaults
      peers   issue 17's same-run comparisons: docs/bench/naive-ingest.py and dialogd on
              N single-record files (default 40000; dropped while it runs, and pre-dropped
              as the script's are), docs/bench/naive-jsonl.py and dialogd
              on one .jsonl of 100000 records; prints both rows and the ratios, and
          docs/bench/rename-floor.py: the same files' renames new/ -> cur/ alone, the
          kernel's floor under both files rows; --rounds R (default 1) runs all of it R
              times and prints the median of each ratio
      bigjsonl one .jsonl of N records (default 200000, ~48 MB) with default settings
              (no raised max_file_bytes): stored whole, peak RSS
      socket  dialogctl status round trip, status/s on one connection, ingest of N files
              (default 50000) alone and with 50 clients querying status flat out
      crash   --rounds R (default 20) rounds of a flood of N files (default 1500, some bad)
              + SIGKILL at a random moment + restart; checks after each round that
              stored + quarantined = dropped, no duplicates, integrity ok, new/ drained
      soak    --minutes M (default 10): mixed ingest and queries; RSS and open fds over
              time, with a flatness verdict
      classify in process, one core: training time and model memory for N documents
              (default 100000), classifications per second
      prepare in process, one thread: a prepare thread's work per .jsonl record (parse,
              key, tokens, labels, price) for N records (default 100000) of two mixes:
              ns and heap allocations per record, and a digest of every output
      roi     in process: N conversations over 400 days (default 1000000); ingest with and
              without aggregates, roi/pyramid query times, recompute
      pyramid in process: pyramid 30d over the roi scenario's N conversations in every
              privacy mode, employee labels per request against kept (issue 17); then
              with N/5 customers' orders: pyramid with order revenue, kpi with conversion
              (that part alone: pyramid-orders)
      migrate in process: a store of N conversations (default 1000000) under the schema
              before the newest migration, then opened as dialogd starts: migration time
      reads   --db PATH [--rounds R]: in process, on an existing store (e.g. one kept by
              DIALOGBENCH_KEEP=1 ... pyramid): time to open it (pending migrations), then
              pyramid 30d in every privacy mode and roi 365d by department, interleaved
      attribution in process: N conversations (default 1000000) of N/5 customers and N/5
              orders; ingest rates, roi with attributed revenue, re-attribution
      forget  in process: N conversations with 1 KiB texts (default 100000), N/5 orders;
              ingest with secure_delete off and on, forget with the mention search

    --days D spreads the files/jsonl conversation dates over the last D days (default 7, as
    in a live spool where conversations are logged within days; 300 is the worst case, in
    which nearly every record opens hourly aggregate rows of its own).

    Prints one Markdown table row per scenario: throughput, peak RSS, idle CPU.
    DIALOGBENCH_TIMELINE=1 (files, predropped, jsonl, peers, socket) also prints to standard error
    when the files reached cur/, the pauses of the moves and how idle the machine was.
    """

var arguments = Array(CommandLine.arguments.dropFirst())
guard let scenario = arguments.first else {
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(64)
}
var count: Int?
var days = 7
if let i = arguments.firstIndex(of: "--days"), i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 {
    days = n
}
if let i = arguments.firstIndex(of: "--count"), i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 {
    count = n
}

@MainActor func option(_ name: String) -> Int? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 else { return nil }
    return n
}

do {
    if scenario == "crash" {
        let result = try CrashRounds.run(rounds: option("--rounds") ?? 20, files: count ?? 1500)
        print(result.report)
        exit(result.ok ? 0 : 1)
    }
    if scenario == "soak" {
        let result = try SoakBenchmark.run(minutes: option("--minutes") ?? 10)
        print(result.report)
        exit(result.flat ? 0 : 1)
    }
    if scenario == "socket" {
        print(try SocketBenchmark.run(files: count ?? 50_000))
        exit(0)
    }
    if scenario == "classify" {
        print(ClassifyBenchmark.run(count ?? 100_000))
        exit(0)
    }
    if scenario == "prepare" {
        print(PrepareBenchmark.run(count ?? 100_000))
        exit(0)
    }
    if scenario == "attribution" {
        let n = count ?? 1_000_000
        print(try AttributionBenchmark.run(n, orders: n / 5))
        exit(0)
    }
    if scenario == "forget" {
        print(try ForgetBenchmark.run(count ?? 100_000))
        exit(0)
    }
    if scenario == "pyramid-orders" {
        print(try PyramidBenchmark.withOrders(count ?? 1_000_000))
        exit(0)
    }
    if scenario == "pyramid" {
        print(try PyramidBenchmark.run(count ?? 1_000_000))
        print()
        print(try PyramidBenchmark.withOrders(count ?? 1_000_000))
        exit(0)
    }
    if scenario == "migrate" {
        print(try MigrationBenchmark.run(count ?? 1_000_000))
        exit(0)
    }
    if scenario == "roi" {
        print(try RoiBenchmark.run(count ?? 1_000_000))
        exit(0)
    }
    if scenario == "reads" {
        guard let i = arguments.firstIndex(of: "--db"), i + 1 < arguments.count else {
            FileHandle.standardError.write(Data("dialogbench reads needs --db PATH\n".utf8))
            exit(64)
        }
        print(try ReadsBenchmark.run(path: arguments[i + 1], rounds: option("--rounds") ?? 15))
        exit(0)
    }
    if scenario == "peers" {
        print(try PeerBenchmark.run(files: count ?? 40_000, jsonl: 100_000, days: days, rounds: option("--rounds") ?? 1))
        exit(0)
    }
    print(IngestBenchmark.header)
    switch scenario {
    case "files":
        print(try IngestBenchmark.files(count ?? 100_000, days: days).row)
    case "predropped":
        print(try IngestBenchmark.files(count ?? 100_000, days: days, preDropped: true).row)
    case "jsonl":
        print(try IngestBenchmark.jsonl(count ?? 100_000, days: days).row)
    case "bigjsonl":
        print(try IngestBenchmark.jsonl(count ?? 200_000, days: days, settings: "").row)
    case "all":
        print(try IngestBenchmark.files(100_000, days: days).row)
        print(try IngestBenchmark.jsonl(100_000, days: days).row)
    default:
        FileHandle.standardError.write(Data("dialogbench: unknown scenario \(scenario)\n\(usage)\n".utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("dialogbench: \(error)\n".utf8))
    exit(1)
}
