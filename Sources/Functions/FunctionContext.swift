import FastCGIRuntime
import Logging

#if canImport(Glibc)
import Glibc
#endif

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
    /// Better Stack through the worker's cache; nil when no API token is configured.
    public var uptime: UptimeData?
    /// Who may call the functions (open by default).
    public var access: AccessPolicy
    /// What `GET /metrics` renders and how long it may wait.
    public var metrics: MetricsSettings
    /// The configured Atlassian Statuspage pages and this worker's exporter state; nil when none
    /// are configured.
    public var statuspage: StatuspageData?
    /// The bridge's own request and upstream metrics (this process's).
    public var telemetry: BridgeTelemetry
    /// One Better Stack refresh for `/metrics` at a time in this worker…
    let betterStackRefresh = RefreshFlight<BetterStackReading>()
    /// …and one background sweep of expired per-monitor details.
    let betterStackSweep = RefreshFlight<Void>()

    public init(
        settings: BridgeSettings,
        uptime: UptimeData? = nil,
        access: AccessPolicy = .open,
        metrics: MetricsSettings = MetricsSettings(),
        statuspage: StatuspageData? = nil,
        telemetry: BridgeTelemetry = BridgeTelemetry()
    ) {
        self.settings = settings
        self.uptime = uptime
        self.access = access
        self.metrics = metrics
        self.statuspage = statuspage
        self.telemetry = telemetry
    }
}

/// Settings functions read.
public struct BridgeSettings: Sendable {
    /// Answered in the health function.
    public var version: String
    /// Registers the `/_debug/*` functions (a deliberately slow one for tests and benchmarks).
    /// Off in production.
    public var debugRoutes: Bool
    /// This node's name for the seed's `nodename` parameter (default: the host name).
    public var nodeName: String
    /// Largest `maxDataPoints` a Grafana query may ask for (400 above it).
    public var maxDataPointsLimit: Int
    /// The bounds of every request (docs/limits-and-security.md).
    public var limits: RequestLimits
    /// The configuration file read at start, nil when none was (health and errors say so: under
    /// suEXEC a lost `SetEnv UPTIME_BRIDGE_CONFIG` is the usual reason nothing is configured).
    public var configurationFile: String?

    public init(
        version: String = BridgeVersion.current,
        debugRoutes: Bool = false,
        nodeName: String = BridgeSettings.hostName(),
        maxDataPointsLimit: Int = 100_000,
        limits: RequestLimits = RequestLimits()
    ) {
        self.version = version
        self.debugRoutes = debugRoutes
        self.nodeName = nodeName
        self.maxDataPointsLimit = maxDataPointsLimit
        self.limits = limits
    }

    /// The host name, as the seed proxy compared `nodename` with it.
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

public enum BridgeVersion {
    public static let current = "0.1.0"
}

extension FunctionContext {
    /// The Better Stack data source, or a 503 when no token is configured.
    func uptimeData() throws(HTTPError) -> UptimeData {
        guard let data = services.uptime else {
            throw HTTPError(503, Health.betterStackMissing(configurationFile: services.settings.configurationFile))
        }
        return data
    }
}
