import FuzzSupport

/// libFuzzer entry: the input is the content of a spool file named `fuzz.csv`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    RecordFuzzing.check(data, size, fileName: "fuzz.csv")
}
