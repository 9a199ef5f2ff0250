import ArgumentParser
import BetterStack
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

    @Option(help: "Worker processes under a master that restarts them (default: the CPUs, 2 to 4); 0: one process, no master.")
    var workers: Int?

    @Option(help: "Accept threads per worker (default 4).")
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
        if let workers { overrides[.serverWorkers] = String(workers) }
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
        // The options are configuration keys of their own (source "command line"), above the
        // environment. Workers get the same arguments, so they read the same.
        let configuration = Configuration.load(path: configPath, environment: environment, overrides: overrides)

        let level = Logger.Level(rawValue: configuration.string(.serverLogLevel) ?? "info") ?? .info
        // A worker that a master started serves on the socket the master handed it (standard input),
        // whatever server.socket says; a process that no master started and that is not a CGI
        // invocation becomes the master when server.workers is above 0.
        let workerSlot = SupervisedWorker.slot
        let isCGI = workerSlot == nil && configuration.string(.serverSocket) == nil && FCGX_IsCGI() != 0
        if workerSlot == nil, !isCGI, MasterProcess.workerCount(configuration) > 0 {
            return MasterProcess.run(
                configPath: configPath,
                processEnvironment: environment,
                overrides: overrides,
                configuration: configuration
            )
        }
        // A SIGHUP meant for the master (a terminal's hangup, a signal to the process group) must not
        // end a worker.
        if workerSlot != nil { signal(SIGHUP, SIG_IGN) }
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
        let logger: Logger = {
            var logger = Logger(label: "uptime-bridge")
            if let workerSlot { logger[metadataKey: "worker"] = "\(workerSlot)" }
            return logger
        }()
        if let failure = shipping?.failure { logger.warning("logs shipping is off: \(failure)") }
        shipping?.shipper?.start()

        func refuse(_ problems: [String]) -> Int32 {
            for problem in problems { logger.critical("cannot start: \(problem)") }
            if isCGI { CGIRunnerFailure.answerMisconfigured(problems) }
            return 1
        }
        let composition: BridgeComposition
        do {
            composition = try BridgeComposition(configuration: configuration, isCGI: isCGI, isWorker: workerSlot != nil, logger: logger)
        } catch {
            return refuse(error.problems)
        }
        let (limits, gateway, address, services) = (composition.limits, composition.gateway, composition.address, composition.services)
        var router = composition.router
        // Error reporting: resident workers only (see ErrorReporting).
        var errors: ErrorReporter?
        if !isCGI, address != nil {
            do {
                errors = try ErrorReporting.make(configuration: configuration)
            } catch {
                return refuse(["\(error)"])
            }
        }
        if let errors {
            errors.start()
            services.telemetry.attach(errorReporter: errors)
            router.onInternalError = { report in errors.report(ErrorReporting.event(for: report, worker: workerSlot)) }
            if let death = SupervisedWorker.previousDeath {
                errors.report(ErrorReporting.workerDied(death, slot: workerSlot))
            }
        }
        guard let address else {
            // The functions' own deadline answers first (a JSON 504 naming it); the runner's is the
            // backstop for a process that stopped answering altogether.
            return CGIRunner.run(router: router, options: gateway, logger: logger, deadline: limits.deadline + .seconds(5)) { info in
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
        // An inherited socket may be systemd's, or shared with the master's other workers: it must keep
        // working for the next activation and for them.
        server.run(listenFD: listenFD, sharedListener: address == .inherited) {
            SupervisedWorker.announceReady(logger: logger)
        }
        if case .unix(let path) = address { unlink(path) }
        logger.info("stopped")
        if let errors {
            CheckCommand.blocking { await errors.shutdown(deadline: .seconds(2)) }
        }
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

    /// A CGI process that cannot start answers every request (health included) with a 500 naming
    /// each problem, because on shared hosting the site user often cannot read the web server's
    /// error log: `{"error":"uptime-bridge is misconfigured…","problems":["betterstack.api_token:
    /// the file …/betterstack.token is not readable by this process (uid 33, gid 33)…"]}`. The
    /// problems never hold a secret (they name keys and files, never values); directories are cut
    /// from paths (``shortenPaths(_:)``), so an anonymous caller learns the file's name and the
    /// reason but not the account's layout. The log has the whole text. Never served without the
    /// access control the unreadable configuration may carry.
    static func answerMisconfigured(_ problems: [String]) {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.key("error")
        json.string("uptime-bridge is misconfigured (the web server's error log has the details)")
        json.key("problems")
        json.beginArray()
        for problem in problems { json.string(shortenPaths(problem)) }
        json.endArray()
        json.endObject()
        let bytes = ResponseEncoder.encode(.json(json.bytes, status: 500, cacheControl: "no-store"), requestID: nil)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }

    /// Every absolute path in `text` (a `/` at the start of a word, up to white space or `:,;()'"`)
    /// becomes `…/` and its last component: `/home/u/uptime-bridge/token` → `…/token`.
    static func shortenPaths(_ text: String) -> String {
        var out = ""
        var word = ""
        func flush() {
            if word.hasPrefix("/"), !word.hasPrefix("//"), let last = word.split(separator: "/").last, word.count > last.count + 1 {
                out += "…/" + last
            } else {
                out += word
            }
            word = ""
        }
        for character in text {
            if character.isWhitespace || ":,;()'\"".contains(character) {
                flush()
                out.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return out
    }
}
