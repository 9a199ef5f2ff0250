import FastCGIRuntime
import Logging

/// What every function gets besides its request: the request id, a logger, and the process-wide
/// services (settings today; the Better Stack client, cache and clock as they arrive).
public struct FunctionContext: RequestContext {
    public var requestID: String
    public var logger: Logger
    public var services: Services

    public init(info: RequestInfo, services: Services) {
        self.requestID = info.requestID
        self.logger = info.logger
        self.services = services
    }
}

/// Process-wide, immutable after start-up, shared by all requests of a worker.
public struct Services: Sendable {
    public var settings: BridgeSettings

    public init(settings: BridgeSettings) {
        self.settings = settings
    }
}

/// Settings functions read.
public struct BridgeSettings: Sendable {
    /// Answered in the health function.
    public var version: String
    /// Registers the `/_debug/*` functions (a deliberately slow one for tests and benchmarks).
    /// Off in production.
    public var debugRoutes: Bool

    public init(version: String = BridgeVersion.current, debugRoutes: Bool = false) {
        self.version = version
        self.debugRoutes = debugRoutes
    }
}

public enum BridgeVersion {
    public static let current = "0.1.0"
}
