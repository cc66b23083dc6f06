import FuzzSupport

/// libFuzzer entry: the input is the content of a spool file named `fuzz.conv`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConv(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    RecordFuzzing.check(data, size, fileName: "fuzz.conv")
}
