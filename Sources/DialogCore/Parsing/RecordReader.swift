/// Turns the bytes of one spool file into validated records (DESIGN §3).
///
/// STUB — the parsing helper replaces this file's body; the signature is the contract.
public struct RecordReader: Sendable {
    public let settings: ParseSettings

    public init(settings: ParseSettings) {
        self.settings = settings
    }

    /// Parses a whole file. Throws when the file as a whole is unusable (unknown extension,
    /// empty, undecodable, broken structure, no valid record); per-record problems of
    /// multi-record files come back in `ParsedFile.rejects`.
    public func read(_ bytes: [UInt8], fileName: String) throws(RecordRejection) -> ParsedFile {
        throw RecordRejection(expected: "a parser (not implemented yet)")
    }
}
