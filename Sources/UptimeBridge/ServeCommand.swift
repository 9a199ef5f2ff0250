import ArgumentParser
import BridgeConfiguration
import CFastCGI
import FastCGIRuntime
import Functions
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `uptime-bridge serve`: the responder. Settings come from the config file (`--config`,
/// `UPTIME_BRIDGE_CONFIG`, or /etc/uptime-bridge/config.yaml), the environment, then these options,
/// so spawners that pass no arguments (spawn-fcgi, systemd, CGI servers) can configure it too.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the functions over FastCGI (socket) or CGI (one request)."
    )

    @Option(help: "Config file (YAML). Env: UPTIME_BRIDGE_CONFIG. Default: /etc/uptime-bridge/config.yaml if present.")
    var config: String?

    @Option(help: "Bind this socket instead of using standard input: a unix path (mode 0660) or 127.0.0.1:PORT.")
    var socket: String?

    @Option(help: "Accept threads (default 4).")
    var threads: Int?

    @Option(help: "Requests in flight at most, then accepting pauses (default 512).")
    var maxInFlight: Int?

    @Option(help: "Route prefix, e.g. /uptime (default none).")
    var basePath: String?

    @Option(help: "Largest request body in bytes (default 1048576).")
    var maxBodyBytes: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical (default info).")
    var logLevel: String?

    @Flag(help: "Register the /_debug/* test functions. Never in production.")
    var debugRoutes = false

    func run() throws {
        var overrides: [ConfigKey: String] = [:]
        if let socket { overrides[.serverSocket] = socket }
        if let threads { overrides[.serverThreads] = String(threads) }
        if let maxInFlight { overrides[.serverMaxInFlight] = String(maxInFlight) }
        if let basePath { overrides[.serverBasePath] = basePath }
        if let maxBodyBytes { overrides[.serverMaxBodyBytes] = String(maxBodyBytes) }
        if let logLevel { overrides[.serverLogLevel] = logLevel }
        if debugRoutes { overrides[.serverDebugRoutes] = "true" }
        let status = Self.serve(configPath: config, overrides: overrides)
        if status != 0 { throw ExitCode(status) }
    }

    /// Serving with settings from the config file and environment only (CGI invocation: the
    /// arguments are not parsed).
    static func serveFromEnvironment() -> Int32 {
        serve(configPath: nil, overrides: [:])
    }

    static func serve(configPath: String?, overrides: [ConfigKey: String]) -> Int32 {
        // Before any thread exists, so every thread inherits the mask and sigwait sees the signals.
        TerminationSignals.block()
        let environment = ServicesFactory.processEnvironment()
        var environmentWithOverrides = environment
        for (key, value) in overrides { environmentWithOverrides[key.environment[0]] = value }
        let configuration = Configuration.load(path: configPath, environment: environmentWithOverrides)

        let level = Logger.Level(rawValue: configuration.string(.serverLogLevel) ?? "info") ?? .info
        let isCGI = configuration.string(.serverSocket) == nil && FCGX_IsCGI() != 0
        // Before the first thread is started (logs shipping, accept threads, the HTTP client).
        if !isCGI { MemoryTuning.applyResidentWorkerDefaults(environment: environment) }
        // Logs shipping runs in the background of a resident worker; a CGI process logs to the web
        // server's error log only (it would have to wait for the ingest before exiting).
        let shipping = isCGI ? nil : LogShipping.make(configuration: configuration)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            guard let shipping else { return handler }
            return MultiplexLogHandler([handler, shipping.handler(label: label)])
        }
        let logger = Logger(label: "uptime-bridge")
        if let failure = shipping?.failure { logger.warning("logs shipping is off: \(failure)") }
        shipping?.shipper?.start()

        func refuse(_ problems: [String]) -> Int32 {
            for problem in problems { logger.critical("cannot start: \(problem)") }
            if isCGI { CGIRunnerFailure.answer(status: 500, message: "uptime-bridge is misconfigured; see the server log") }
            return 1
        }
        if !configuration.problems.isEmpty { return refuse(configuration.problems) }
        if Logger.Level(rawValue: configuration.string(.serverLogLevel) ?? "info") == nil {
            return refuse(["server.log_level: unknown level \(configuration.string(.serverLogLevel) ?? "")"])
        }
        let basePath = configuration.string(.serverBasePath) ?? ""
        guard basePath.isEmpty || basePath.hasPrefix("/") else { return refuse(["server.base_path must start with /"]) }

        var settings = BridgeSettings(debugRoutes: configuration.bool(.serverDebugRoutes))
        if let node = configuration.string(.serverNodeName), !node.isEmpty { settings.nodeName = node }
        let gateway = GatewayOptions(basePath: basePath, maxBodyBytes: configuration.int(.serverMaxBodyBytes))

        let address: ListenAddress?
        if let socket = configuration.string(.serverSocket) {
            guard let parsed = ListenAddress(parsing: socket) else {
                return refuse(["server.socket: cannot parse \(socket) (a unix path or HOST:PORT)"])
            }
            address = parsed
        } else {
            address = isCGI ? nil : .inherited
        }

        let services: Services
        do {
            services = try ServicesFactory.make(configuration: configuration, settings: settings, isCGI: isCGI, logger: logger)
        } catch {
            // A clear error at start-up rather than a failure on the first request.
            return refuse(["\(error)"])
        }
        if let address, services.access.isOpen, let exposure = ListenExposure.nonLoopback(address) {
            return refuse([
                "listening on \(exposure) without access control: set access.bearer_token or "
                    + "access.basic_auth_user/_password, or listen on loopback or a unix socket"
            ])
        }
        let router = Routes.router(settings: settings, access: services.access)
        guard let address else {
            return CGIRunner.run(router: router, options: gateway, logger: logger) { info in
                FunctionContext(info: info, services: services)
            }
        }

        let listenFD: Int32
        do {
            listenFD = try address.bind()
        } catch {
            logger.critical("cannot listen", metadata: ["address": "\(address)", "error": "\(error)"])
            return 1
        }
        let server = FastCGIServer(
            configuration: FastCGIConfiguration(
                acceptThreads: configuration.int(.serverThreads),
                maxInFlight: configuration.int(.serverMaxInFlight),
                gateway: gateway
            ),
            router: router,
            logger: logger,
            observer: services.telemetry.requestObserver(functions: router.paths)
        ) { info in
            FunctionContext(info: info, services: services)
        }
        logger.info("listening", metadata: ["address": "\(address)", "version": "\(BridgeVersion.current)"])
        // An inherited socket may be systemd's: it must keep working for the next activation.
        server.run(listenFD: listenFD, sharedListener: address == .inherited)
        if case .unix(let path) = address { unlink(path) }
        logger.info("stopped")
        if let shipper = shipping?.shipper {
            CheckCommand.blocking { await shipper.shutdown(deadline: .seconds(2)) }
        }
        return 0
    }
}

/// Writes a response straight to fd 1 (stdout is the CGI response; nothing else may go there).
enum CGIRunnerFailure {
    static func answer(status: Int, message: String) {
        let bytes = ResponseEncoder.encode(Response.error(status, message), requestID: nil)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }
}
