import ArgumentParser
import CFastCGI
import FastCGIRuntime
import Functions
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `uptime-bridge serve`: the responder. Every option has an environment twin so that spawners which
/// pass no arguments (spawn-fcgi, systemd, CGI servers) can configure it.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the functions over FastCGI (socket) or CGI (one request)."
    )

    @Option(help: "Bind this socket instead of using standard input: a unix path (mode 0660) or 127.0.0.1:PORT. Env: UPTIME_BRIDGE_SOCKET.")
    var socket: String?

    @Option(help: "Accept threads. Env: UPTIME_BRIDGE_THREADS. Default 4.")
    var threads: Int?

    @Option(help: "Requests in flight at most (then accepting pauses). Env: UPTIME_BRIDGE_MAX_IN_FLIGHT. Default 512.")
    var maxInFlight: Int?

    @Option(help: "Route prefix, e.g. /uptime. Env: UPTIME_BRIDGE_BASE_PATH. Default none.")
    var basePath: String?

    @Option(help: "Largest request body in bytes. Env: UPTIME_BRIDGE_MAX_BODY_BYTES. Default 1048576.")
    var maxBodyBytes: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical. Env: UPTIME_BRIDGE_LOG_LEVEL. Default info.")
    var logLevel: String?

    @Flag(help: "Register the /_debug/* test functions. Env: UPTIME_BRIDGE_DEBUG_ROUTES=1. Never in production.")
    var debugRoutes = false

    func run() throws {
        var settings = ServeSettings.fromEnvironment()
        if let socket { settings.socket = socket }
        if let threads { settings.threads = threads }
        if let maxInFlight { settings.maxInFlight = maxInFlight }
        if let basePath { settings.basePath = basePath }
        if let maxBodyBytes { settings.maxBodyBytes = maxBodyBytes }
        if let logLevel { settings.logLevel = logLevel }
        if debugRoutes { settings.debugRoutes = true }
        try settings.validate()
        let status = Self.serve(settings)
        if status != 0 { throw ExitCode(status) }
    }

    /// Serving with settings from the environment only (CGI invocation, no arguments parsed).
    static func serveFromEnvironment() -> Int32 {
        let settings = ServeSettings.fromEnvironment()
        do {
            try settings.validate()
        } catch {
            // CGI: answer in the protocol rather than with a bare 500 from the web server.
            CGIRunnerFailure.answer(status: 500, message: "uptime-bridge is misconfigured; see the server log")
            FileDescriptorLog.stderr("uptime-bridge: \(error)\n")
            return 1
        }
        return serve(settings)
    }

    static func serve(_ settings: ServeSettings) -> Int32 {
        // Before any thread exists, so every thread inherits the mask and sigwait sees the signals.
        TerminationSignals.block()
        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "uptime-bridge")
        let environment = ServicesFactory.processEnvironment()
        var bridgeSettings = BridgeSettings(debugRoutes: settings.debugRoutes)
        if let node = environment["UPTIME_BRIDGE_NODE_NAME"], !node.isEmpty { bridgeSettings.nodeName = node }
        let router = Routes.router(settings: bridgeSettings)
        let gateway = GatewayOptions(basePath: settings.basePath, maxBodyBytes: settings.maxBodyBytes)

        let address: ListenAddress?
        if let socket = settings.socket {
            guard let parsed = ListenAddress(parsing: socket) else {
                logger.critical("cannot parse socket address", metadata: ["socket": "\(socket)"])
                return 2
            }
            address = parsed
        } else if FCGX_IsCGI() == 0 {
            address = .inherited
        } else {
            address = nil
        }

        let services: Services
        do {
            services = try ServicesFactory.make(
                environment: environment,
                settings: bridgeSettings,
                isCGI: address == nil,
                logger: logger
            )
        } catch {
            // A clear error at start-up rather than a failure on the first request.
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            if address == nil {
                CGIRunnerFailure.answer(status: 500, message: "uptime-bridge is misconfigured; see the server log")
            }
            return 1
        }
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
                acceptThreads: settings.threads,
                maxInFlight: settings.maxInFlight,
                gateway: gateway
            ),
            router: router,
            logger: logger,
            observer: services.telemetry.requestObserver(functions: router.paths)
        ) { info in
            FunctionContext(info: info, services: services)
        }
        logger.info("listening", metadata: ["address": "\(address)", "version": "\(BridgeVersion.current)"])
        server.run(listenFD: listenFD)
        if case .unix(let path) = address { unlink(path) }
        logger.info("stopped")
        return 0
    }
}

/// Responder settings, from the environment first, then from command-line options.
struct ServeSettings {
    var socket: String?
    var threads = 4
    var maxInFlight = 512
    var basePath = ""
    var maxBodyBytes = 1 << 20
    var logLevel = "info"
    var debugRoutes = false

    static func fromEnvironment() -> ServeSettings {
        var settings = ServeSettings()
        func env(_ name: String) -> String? {
            guard let value = getenv(name) else { return nil }
            let text = String(cString: value)
            return text.isEmpty ? nil : text
        }
        settings.socket = env("UPTIME_BRIDGE_SOCKET")
        if let text = env("UPTIME_BRIDGE_THREADS"), let n = Int(text) { settings.threads = n }
        if let text = env("UPTIME_BRIDGE_MAX_IN_FLIGHT"), let n = Int(text) { settings.maxInFlight = n }
        if let text = env("UPTIME_BRIDGE_BASE_PATH") { settings.basePath = text }
        if let text = env("UPTIME_BRIDGE_MAX_BODY_BYTES"), let n = Int(text) { settings.maxBodyBytes = n }
        if let text = env("UPTIME_BRIDGE_LOG_LEVEL") { settings.logLevel = text }
        if let text = env("UPTIME_BRIDGE_DEBUG_ROUTES") { settings.debugRoutes = ["1", "true", "yes"].contains(text.lowercased()) }
        return settings
    }

    func validate() throws {
        guard (1...256).contains(threads) else { throw ValidationError("threads must be 1…256 (got \(threads))") }
        guard (1...100_000).contains(maxInFlight) else { throw ValidationError("max-in-flight must be 1…100000") }
        guard (0...(256 << 20)).contains(maxBodyBytes) else { throw ValidationError("max-body-bytes must be 0…268435456") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level \(logLevel)") }
        guard basePath.isEmpty || basePath.hasPrefix("/") else { throw ValidationError("base path must start with /") }
    }
}

/// Writes without going through stdout buffering (stdout is the CGI response).
enum FileDescriptorLog {
    static func stderr(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}

enum CGIRunnerFailure {
    static func answer(status: Int, message: String) {
        let bytes = ResponseEncoder.encode(Response.error(status, message), requestID: nil)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }
}
