import FuzzSupport

/// libFuzzer entry: the input is a spool file, read as `.eml` or (first byte odd) as `.mbox`,
/// through the MIME parser, charsets (iconv), encoded words, QP/base64, flowed and HTML text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMail(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    RecordFuzzing.check(data, size, fileName: size > 0 && data[0] & 1 == 1 ? "fuzz.mbox" : "fuzz.eml")
}
