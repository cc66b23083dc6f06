import Foundation

/// Issue 17's same-run comparisons: what an admin would write in an afternoon instead of dialogd
/// (the Python scripts in docs/bench), run on the same machine right before dialogd meets the
/// same kind of input, so the ratio holds however busy the machine is.
enum PeerBenchmark {
    /// docs/bench, found from this source file (dialogbench runs from the checkout it was built in).
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/bench").path

    /// Runs `python3 docs/bench/<script> N D` and reads the seconds from each Markdown row it prints.
    static func python(_ script: String, _ n: Int, days: Int) throws -> [(row: String, seconds: Double)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scripts + "/" + script, String(n), String(days)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let rows = text.split(separator: "\n").map { row -> (row: String, seconds: Double?) in
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return (String(row), cells.count >= 3 ? Double(cells[2].replacingOccurrences(of: " s", with: "")) : nil)
        }
        guard process.terminationStatus == 0, !rows.isEmpty, rows.allSatisfy({ $0.seconds != nil }) else {
            throw BenchError("\(script) failed (status \(process.terminationStatus)): \(text)")
        }
        return rows.map { ($0.row, $0.seconds ?? 0) }
    }

    /// The script's one row.
    static func python(one script: String, _ n: Int, days: Int) throws -> (row: String, seconds: Double) {
        let rows = try python(script, n, days: days)
        guard rows.count == 1, let row = rows.first else { throw BenchError("\(script) printed \(rows.count) rows, not one") }
        return row
    }

    /// dialogd's speed over the script's in one round: files dropped while it runs, files in
    /// `new/` before it starts (as the script's), one `.jsonl`.
    struct Ratios {
        var dropped: Double
        var preDropped: Double
        var jsonl: Double
    }

    /// The files row (N single-record files, default 40,000) and the JSONL row (one file of M
    /// records, default 100,000), each peer first, then dialogd, then the ratio. With `rounds`
    /// above 1 all of it again, round after round, and the median of each ratio: on this VM
    /// one round's ratio moves ±15 % with the host's load, builds unchanged (session 17).
    static func run(files: Int, jsonl: Int, days: Int, rounds: Int = 1) throws -> String {
        var lines: [String] = []
        var ratios: [Ratios] = []
        for round in 1...max(1, rounds) {
            if rounds > 1 { lines.append((round > 1 ? "\n" : "") + "round \(round) of \(rounds)") }
            let (text, ratio) = try self.round(files: files, jsonl: jsonl, days: days)
            lines += text
            ratios.append(ratio)
        }
        if rounds > 1 {
            func median(_ values: [Double]) -> Double {
                let sorted = values.sorted()
                return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            }
            lines.append("")
            lines.append(String(format: "median of %d rounds, dialogd / Python: %d files %.2f× (pre-dropped %.2f×, rounds %@); one .jsonl %.2f×",
                                ratios.count, files, median(ratios.map(\.dropped)), median(ratios.map(\.preDropped)),
                                ratios.map { String(format: "%.2f", $0.preDropped) }.joined(separator: ", "), median(ratios.map(\.jsonl))))
        }
        return lines.joined(separator: "\n")
    }

    private static func round(files: Int, jsonl: Int, days: Int) throws -> ([String], Ratios) {
        var lines = [IngestBenchmark.header]
        let naiveFiles = try python(one: "naive-ingest.py", files, days: days)
        // What the kernel alone takes to move the same files new/ → cur/: both ingesters pay it.
        let floor = try python("rename-floor.py", files, days: days)
        let dialogdFiles = try IngestBenchmark.files(files, days: days)
        // The peer's files are in new/ before it starts: so are these, dialogd timed from its start.
        let dialogdPreDropped = try IngestBenchmark.files(files, days: days, preDropped: true)
        lines += [naiveFiles.row] + floor.map(\.row) + [dialogdFiles.row, dialogdPreDropped.row]
        let naiveJSONL = try python(one: "naive-jsonl.py", jsonl, days: days)
        let dialogdJSONL = try IngestBenchmark.jsonl(jsonl, days: days)
        lines += [naiveJSONL.row, dialogdJSONL.row]
        lines.append("")
        lines.append(String(format: "dialogd / Python, %d files: %.2f× (pre-dropped, from dialogd's start: %.2f×); one .jsonl of %d records: %.2f×", files,
                            naiveFiles.seconds / dialogdFiles.seconds, naiveFiles.seconds / dialogdPreDropped.seconds, jsonl,
                            naiveJSONL.seconds / dialogdJSONL.seconds))
        let renames = floor.map(\.seconds).min() ?? 0
        lines.append(String(format: "the renames' floor, %d files: %.2f s (fastest of its rows). Beyond it: Python %.2f s, dialogd pre-dropped %.2f s; "
                            + "the best ratio to Python any ingester that moves each file can reach: %.2f×", files, renames,
                            naiveFiles.seconds - renames, dialogdPreDropped.seconds - renames, naiveFiles.seconds / max(renames, 0.001)))
        return (lines, Ratios(dropped: naiveFiles.seconds / dialogdFiles.seconds, preDropped: naiveFiles.seconds / dialogdPreDropped.seconds,
                              jsonl: naiveJSONL.seconds / dialogdJSONL.seconds))
    }
}
