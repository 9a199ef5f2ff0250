import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The sandbox HTTP server on 127.0.0.1: start it, read ``port``, talk to it, ``shutdown()``.
///
/// ```swift
/// let server = try await SandboxServer.start(SandboxConfiguration(monitors: 1000), logger: logger)
/// // http://127.0.0.1:\(server.port)/api/v2/monitors with "Authorization: Bearer sandbox-token"
/// try await server.shutdown()
/// ```
public final class SandboxServer: Sendable {
    /// The port actually bound (useful with port 0).
    public let port: Int
    /// The configuration the server runs with.
    public let configuration: SandboxConfiguration
    /// Every route name that stats and faults know.
    public let routeNames: [RouteName]

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let state: SandboxState

    private init(
        port: Int,
        configuration: SandboxConfiguration,
        routeNames: [RouteName],
        group: MultiThreadedEventLoopGroup,
        channel: any Channel,
        state: SandboxState
    ) {
        self.port = port
        self.configuration = configuration
        self.routeNames = routeNames
        self.group = group
        self.channel = channel
        self.state = state
    }

    /// Generates the data, binds `configuration.host` (127.0.0.1) and `port`, and starts serving.
    ///
    /// Throws ``FaultParseError`` when a configured fault names an unknown route, or the bind error.
    public static func start(_ configuration: SandboxConfiguration, logger: Logger) async throws -> SandboxServer {
        let state = SandboxState(configuration: configuration, logger: logger)
        // Later fakes (Statuspage, Catchpoint) add their tables here.
        let apiTables = [
            BetterStackRoutes.table(state: state),
            HeartbeatPingRoutes.table(state: state),
            LogsIngestRoutes.table(state: state),
            ErrorsIngestRoutes.table(state: state),
            StatuspageRoutes.table(state: state),
            CatchpointRoutes.table(state: state),
        ]
        let names = Set(apiTables.joined().compactMap(\.name))
        for fault in configuration.faults where fault.route != .all && !names.contains(fault.route) {
            throw FaultParseError(description: "unknown route '\(fault.route)'; known: \(names.sorted())")
        }
        let router = Router(apiTables + [AdminRoutes.table(state: state, routeNames: names)])

        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        let maxBodyBytes = configuration.maxBodyBytes
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        SandboxHTTPHandler(router: router, state: state, maxBodyBytes: maxBodyBytes)
                    )
                }
            }
        let channel: any Channel
        do {
            // Loopback only, always: the sandbox has no authentication worth the name.
            channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        let port = channel.localAddress?.port ?? configuration.port
        logger.info(
            "sandbox listening",
            metadata: [
                "port": "\(port)", "monitors": "\(configuration.monitors)",
                "heartbeats": "\(configuration.heartbeats)", "seed": "\(configuration.seed)",
                "now": "\(Timestamp.iso8601(configuration.now))",
            ]
        )
        return SandboxServer(
            port: port,
            configuration: configuration,
            routeNames: names.sorted(),
            group: group,
            channel: channel,
            state: state
        )
    }

    /// Stops accepting, closes every connection and stops the event loops.
    public func shutdown() async throws {
        try? await channel.close()
        try await group.shutdownGracefully()
    }

    /// Installs a fault at run time (the same as `POST /_sandbox/faults`).
    public func setFault(_ fault: Fault) {
        state.faults.set(fault)
    }

    /// Removes all faults (the same as `DELETE /_sandbox/faults`).
    public func clearFaults() {
        state.faults.clear()
    }

    /// Requests counted so far, by route name (what `GET /_sandbox/stats` reports).
    public var requestCounts: [RouteName: Int] {
        state.stats.snapshot
    }

    /// Forgets the request counts, per route and per second (the same as `POST /_sandbox/stats/reset`).
    public func resetStats() {
        state.stats.reset()
        state.rateLimiter.reset()
    }

    /// The rate-limit mode's limit in requests per second over the Uptime API routes; 0 is off.
    /// Setting it is the same as `POST /_sandbox/rate-limit?per_second=N`.
    public var rateLimitPerSecond: Int {
        get { state.rateLimiter.limit }
        set { state.rateLimiter.limit = min(newValue, RateLimiter.maximumLimit) }
    }

    /// Uptime API requests per wall-clock second (what `GET /_sandbox/stats` shows as `per_second`).
    public var perSecond: RateStatistics {
        state.rateLimiter.snapshot
    }

    /// Requests counted for `route` so far.
    public func requestCount(_ route: RouteName) -> Int {
        state.stats.count(route)
    }
}
