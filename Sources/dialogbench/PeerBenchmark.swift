import Foundation

/// Issue 17's same-run comparisons: what an admin would write in an afternoon instead of dialogd
/// (the Python scripts in docs/bench), run on the same machine right before dialogd meets the
/// same kind of input, so the ratio holds however busy the machine is.
enum PeerBenchmark {
    /// docs/bench, found from this source file (dialogbench runs from the checkout it was built in).
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/bench").path

    /// Runs `python3 docs/bench/<script> N D` and reads the seconds from its Markdown row.
    static func python(_ script: String, _ n: Int, days: Int) throws -> (row: String, seconds: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scripts + "/" + script, String(n), String(days)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let row = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        guard process.terminationStatus == 0, cells.count >= 3, let seconds = Double(cells[2].replacingOccurrences(of: " s", with: "")) else {
            throw BenchError("\(script) failed (status \(process.terminationStatus)): \(row)")
        }
        return (row, seconds)
    }

    /// The files row (N single-record files, default 40,000) and the JSONL row (one file of M
    /// records, default 100,000), each peer first, then dialogd, then the ratio.
    static func run(files: Int, jsonl: Int, days: Int) throws -> String {
        var lines = [IngestBenchmark.header]
        let naiveFiles = try python("naive-ingest.py", files, days: days)
        let dialogdFiles = try IngestBenchmark.files(files, days: days)
        // The peer's files are in new/ before it starts: so are these, dialogd timed from its start.
        let dialogdPreDropped = try IngestBenchmark.files(files, days: days, preDropped: true)
        lines += [naiveFiles.row, dialogdFiles.row, dialogdPreDropped.row]
        let naiveJSONL = try python("naive-jsonl.py", jsonl, days: days)
        let dialogdJSONL = try IngestBenchmark.jsonl(jsonl, days: days)
        lines += [naiveJSONL.row, dialogdJSONL.row]
        lines.append("")
        lines.append(String(format: "dialogd / Python, %d files: %.2f× (pre-dropped, from dialogd's start: %.2f×); one .jsonl of %d records: %.2f×", files,
                            naiveFiles.seconds / dialogdFiles.seconds, naiveFiles.seconds / dialogdPreDropped.seconds, jsonl,
                            naiveJSONL.seconds / dialogdJSONL.seconds))
        return lines.joined(separator: "\n")
    }
}
