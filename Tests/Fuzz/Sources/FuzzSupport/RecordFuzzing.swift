import DialogCore
import Foundation

/// What every record parser must hold for any input: it returns or throws a rejection (never
/// traps), every record it returns is complete and plausible, and keys are stable.
public enum RecordFuzzing {
    /// A fixed "now" (2026-11-28), so a crasher replays the same way on any day.
    static let reader = RecordReader(settings: ParseSettings(now: 1_795_900_000))
    /// For mail: a roster that knows the addresses of the seeds, so fuzzing reaches the record.
    static let mailReader: RecordReader = {
        var settings = ParseSettings(now: 1_795_900_000)
        let roster = "employee,department,addresses\nanna.schmidt,vertrieb,anna.schmidt@example.com a@b.c\nben,service,service@example.com\n"
        settings.roster = try? Roster.parse(Array(roster.utf8), source: "fuzz-roster.csv")
        return RecordReader(settings: settings)
    }()

    /// Parses `size` bytes as a file called `fileName` and checks the invariants; traps (which
    /// libFuzzer reports as a crash) when one fails.
    public static func check(_ data: UnsafePointer<UInt8>, _ size: Int, fileName: String) -> Int32 {
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        let isMail = fileName.hasSuffix(".eml") || fileName.hasSuffix(".mbox")
        let reader = isMail ? mailReader : reader
        let settings = reader.settings
        do {
            let file = try reader.read(bytes, fileName: fileName)
            precondition(file.records.count >= 1, "a file without records must be refused")
            precondition(file.records.count == file.recordCount, "recordCount disagrees with the records")
            for parsed in file.records {
                let record = parsed.record
                precondition(parsed.line >= 1, "record line \(parsed.line)")
                precondition(!record.employee.isEmpty, "empty employee accepted")
                precondition(record.date >= settings.now - Int64(settings.maxPastDays) * 86_400
                    && record.date <= settings.now + Int64(settings.maxFutureDays) * 86_400, "implausible date accepted: \(record.date)")
                precondition((-settings.maxValueCents...settings.maxValueCents).contains(record.valueCents ?? 0), "value beyond the limit")
                precondition((record.durationSeconds ?? 0) >= 0, "negative duration")
                precondition((1...5).contains(record.satisfaction ?? 3), "satisfaction out of 1–5")
                let key = RecordKey.make(for: record)
                // Bytes: an id may begin with a combining mark, which `hasPrefix` would merge with ":".
                precondition(key.hasBytePrefix("id:") || key.hasBytePrefix("sha256:"), "key \(key)")
                precondition(key.sameBytes(as: RecordKey.make(for: record)), "unstable key")
            }
            for reject in file.rejects {
                precondition(reject.rejection.line.map { $0 >= 1 } ?? true, "reject line")
                precondition(!reject.rejection.description.isEmpty, "a reject without a reason")
            }
        } catch {
            precondition(!error.description.isEmpty, "a rejection without a reason")
        }
        return 0
    }
}
