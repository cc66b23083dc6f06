import DialogCore

/// Runs a store call, turning its error into a `failed` reply.
func storeCall<T>(_ body: () throws -> T) throws(ControlError) -> T {
    do { return try body() } catch { throw .failed("store: \(error)") }
}
