import BridgeConfiguration
import FastCGIRuntime
import Functions
import Logging

/// The one place where a configuration becomes the parts that serve: request limits, the
/// functions' settings, the gateway options, the listening address, the services (clients,
/// caches, telemetry) and the router. `serve` builds it for FastCGI and for CGI; what it refuses
/// (``BridgeCompositionRefusal``) is what keeps the process from serving, each problem in one line.
struct BridgeComposition {
    let limits: RequestLimits
    let settings: BridgeSettings
    let gateway: GatewayOptions
    /// Where to listen; `nil` under CGI (one request on standard input).
    let address: ListenAddress?
    let services: Services
    /// The route table; ``ErrorReporting/attach(_:to:workerSlot:)`` adds its hook.
    var router: Router<FunctionContext>

    init(configuration: Configuration, isCGI: Bool, isWorker: Bool, logger: Logger) throws(BridgeCompositionRefusal) {
        if !configuration.problems.isEmpty { throw BridgeCompositionRefusal(configuration.problems) }
        if Logger.Level(rawValue: configuration.string(.serverLogLevel) ?? "info") == nil {
            throw BridgeCompositionRefusal(["server.log_level: unknown level \(configuration.string(.serverLogLevel) ?? "")"])
        }
        let basePath = configuration.string(.serverBasePath) ?? ""
        guard basePath.isEmpty || basePath.hasPrefix("/") else {
            throw BridgeCompositionRefusal(["server.base_path must start with /"])
        }
        limits = RequestLimits(
            deadline: .seconds(configuration.int(.limitsDeadline)),
            upstreamCalls: configuration.int(.limitsUpstreamCalls),
            maxTargets: configuration.int(.limitsMaxTargets),
            maxPoints: configuration.int(.limitsMaxPoints),
            maxAnswerBytes: configuration.int(.limitsMaxAnswerBytes),
            maxConcurrent: configuration.int(.limitsMaxConcurrent)
        )
        var settings = BridgeSettings(
            debugRoutes: configuration.bool(.serverDebugRoutes),
            maxDataPointsLimit: configuration.int(.limitsMaxDataPoints),
            limits: limits
        )
        if let node = configuration.string(.serverNodeName), !node.isEmpty { settings.nodeName = node }
        settings.configurationFile = configuration.path
        self.settings = settings
        gateway = GatewayOptions(basePath: basePath, maxBodyBytes: configuration.int(.serverMaxBodyBytes))

        if isWorker {
            address = .inherited
        } else if let socket = configuration.string(.serverSocket) {
            guard let parsed = ListenAddress(parsing: socket) else {
                throw BridgeCompositionRefusal(["server.socket: cannot parse \(socket) (a unix path or HOST:PORT)"])
            }
            address = parsed
        } else {
            address = isCGI ? nil : .inherited
        }

        do {
            services = try ServicesFactory.make(configuration: configuration, settings: settings, isCGI: isCGI, logger: logger)
        } catch {
            // A clear error at start-up rather than a failure on the first request.
            throw BridgeCompositionRefusal(["\(error)"])
        }
        if let address, services.access.isOpen, let exposure = ListenExposure.nonLoopback(address) {
            throw BridgeCompositionRefusal([
                "listening on \(exposure) without access control: set access.bearer_token or "
                    + "access.basic_auth_user/_password, or listen on loopback or a unix socket"
            ])
        }
        router = Routes.router(settings: settings, access: services.access)
    }
}

/// Why the bridge cannot serve with a configuration: one line per problem.
struct BridgeCompositionRefusal: Error {
    let problems: [String]
    init(_ problems: [String]) { self.problems = problems }
}
