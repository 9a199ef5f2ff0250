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

    /// The process: its role (master, resident worker, CGI), then its logging, then the composed
    /// bridge, served over FastCGI or CGI. Each step is its own type; this only orders them.
    static func serve(configPath: String?, overrides: [ConfigKey: String]) -> Int32 {
        // Before any thread exists, so every thread inherits the mask and sigwait sees the signals.
        TerminationSignals.block()
        let environment = ServicesFactory.processEnvironment()
        // The options are configuration keys of their own (source "command line"), above the
        // environment. Workers get the same arguments, so they read the same.
        let configuration = Configuration.load(path: configPath, environment: environment, overrides: overrides)

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
        let logging = ProcessLogging.bootstrap(configuration: configuration, isCGI: isCGI, workerSlot: workerSlot)
        let logger = logging.logger

        func refuse(_ problems: [String]) -> Int32 {
            for problem in problems { logger.critical("cannot start: \(problem)") }
            if isCGI { CGIRunnerFailure.answerMisconfigured(problems) }
            return 1
        }
        var composition: BridgeComposition
        let errors: ErrorReporter?
        do {
            composition = try BridgeComposition(configuration: configuration, isCGI: isCGI, isWorker: workerSlot != nil, logger: logger)
            // Error reporting: resident workers only (see ErrorReporting).
            errors = isCGI || composition.address == nil ? nil : try ErrorReporting.make(configuration: configuration)
        } catch let refusal as BridgeCompositionRefusal {
            return refuse(refusal.problems)
        } catch {
            return refuse(["\(error)"])
        }
        if let errors { ErrorReporting.attach(errors, to: &composition, workerSlot: workerSlot) }
        let status = composition.serve(configuration: configuration, logger: logger)
        if let errors {
            CheckCommand.blocking { await errors.shutdown(deadline: .seconds(2)) }
        }
        logging.shutdown()
        return status
    }
}
