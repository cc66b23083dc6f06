import DialogSystem

extension SessionError {
    /// A failed system call as dialogctl reports it: the call, the path and the reason, exit 1.
    init(_ error: SystemError, hint: String = "") {
        self.init(message: error.description + hint, exitCode: 1)
    }
}
