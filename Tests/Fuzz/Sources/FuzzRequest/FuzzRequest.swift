import DialogCore

/// libFuzzer entry: the input is one request line of the control socket. Decoding, command
/// lookup and argument validation must answer every line with nil or an error reply — never
/// trap — and an error must carry a code and a message for the client.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let line = Array(UnsafeBufferPointer(start: data, count: size))
    if let error = RequestParser.validate(line) {
        precondition(!error.code.isEmpty && !error.message.isEmpty, "an error reply without code or message")
    }
    return 0
}
