/// `backup`: `path`, absolute (the daemon's working directory is not the client's).
public struct BackupRequest: CommandRequest {
    public static let name = "backup"
    public static let argumentNames: Set<String> = ["path"]
    public let path: String

    public init(_ arguments: CommandArguments) throws(ControlError) {
        path = try arguments.requiredString("path")
        guard path.hasBytePrefix("/") else { throw .badArgument("path must be absolute (the daemon's working directory is not yours)") }
    }
}

/// `retry`: `name`, a quarantined file's name (not its companion `.reason` or reject file, which
/// the daemon tells by what lies beside it: a dropped file may itself end in `.reason`).
public struct RetryRequest: CommandRequest {
    public static let name = "retry"
    public static let argumentNames: Set<String> = ["name"]
    /// The companions of a quarantined file in `quarantine/` (docs/spool.md).
    public static let reasonSuffix = ".reason", rejectsSuffix = ".rejects.jsonl"
    public let file: String

    public init(_ arguments: CommandArguments) throws(ControlError) {
        file = try arguments.requiredString("name")
        guard !file.utf8.contains(UInt8(ascii: "/")), !file.hasBytePrefix(".") else {
            throw .badArgument("\"\(file)\" is not the name of a quarantined file (see `dialogctl quarantine`)")
        }
    }
}

/// `forget`: `customer`, a pseudonym or the identity as written; not blank.
public struct ForgetRequest: CommandRequest {
    public static let name = "forget"
    public static let argumentNames: Set<String> = ["customer"]
    public let customer: String

    public init(_ arguments: CommandArguments) throws(ControlError) {
        customer = try arguments.requiredString("customer")
        guard CustomerIdentity.normalised(customer) != nil else { throw .badArgument("customer must not be blank") }
    }
}
