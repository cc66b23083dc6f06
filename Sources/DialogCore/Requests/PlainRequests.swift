/// The commands without arguments (docs/protocol.md).
public struct StatusRequest: PlainRequest { public static let name = "status"; public init() {} }
public struct PingRequest: PlainRequest { public static let name = "ping"; public init() {} }
public struct QuarantineRequest: PlainRequest { public static let name = "quarantine"; public init() {} }
public struct ReloadRequest: PlainRequest { public static let name = "reload"; public init() {} }
public struct MetricsRequest: PlainRequest { public static let name = "metrics"; public init() {} }
public struct CheckRequest: PlainRequest { public static let name = "check"; public init() {} }
public struct RecomputeRequest: PlainRequest { public static let name = "recompute"; public init() {} }
