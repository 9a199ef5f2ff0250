import BetterStack
import BridgeConfiguration
import FastCGIRuntime
import Functions
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `serve` with `server.workers` above 0 (the default): the master of ``Supervisor``. It owns the
/// listening socket — inherited on standard input from systemd or spawn-fcgi, or bound itself with
/// `--socket` — and keeps the workers running on it, each one this binary executed again with
/// `UPTIME_BRIDGE_WORKER` set, which serves as a single process does.
///
/// The master checks the configuration (at start, and again on SIGHUP before any worker is
/// replaced) without building any service: it starts no thread, opens no upstream connection and
/// never runs a function.
enum MasterProcess {
    /// `server.workers`, or the default: the processors online, at least 2 (so that a crash leaves a
    /// worker serving) and at most 4 (each worker has its own memory cache, so its own upstream calls
    /// and memory; its threads and tasks already use every core).
    static func workerCount(_ configuration: Configuration) -> Int {
        if let text = configuration.string(.serverWorkers), !text.isEmpty, let value = Int(text) { return max(0, value) }
        return defaultWorkers
    }

    static var defaultWorkers: Int {
        min(4, max(2, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    static func run(
        configPath: String?,
        processEnvironment: [String: String],
        overrides: [ConfigKey: String],
        configuration: Configuration
    ) -> Int32 {
        let level = Logger.Level(rawValue: configuration.string(.serverLogLevel) ?? "info") ?? .info
        // stderr only: logs shipping would start threads and connections in the master. Its few
        // lines (worker deaths, reloads) are in the journal or spawn-fcgi's log.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .trace
            return handler
        }
        var logger = Logger(label: "uptime-bridge")
        logger.logLevel = level
        logger[metadataKey: "process"] = "master"

        let address: ListenAddress
        if let socket = configuration.string(.serverSocket) {
            guard let parsed = ListenAddress(parsing: socket) else {
                logger.critical("cannot start: server.socket: cannot parse \(socket) (a unix path or HOST:PORT)")
                return 1
            }
            address = parsed
        } else {
            address = .inherited
        }
        let problems = preflight(configuration, address: address)
        guard problems.isEmpty else {
            for problem in problems { logger.critical("cannot start: \(problem)") }
            return 1
        }
        guard let listenFD = address.bindLogging(to: logger) else { return 1 }
        logger.info("listening", metadata: ["address": "\(address)", "version": "\(BridgeVersion.current)"])

        var workerEnvironment = processEnvironment
        // Its own marker is the master's to set; systemd's socket-passing variables name the master.
        for name in [SupervisedWorker.environmentKey, "UPTIME_BRIDGE_WORKER_STATUS_FD", SupervisedWorker.previousDeathEnvironmentKey, "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] {
            workerEnvironment[name] = nil
        }
        // Where the Swift runtime finds its backtracer (a toolchain's debug build), a crashing worker
        // would stay alive, its replacement waiting, for as long as the backtrace takes (seconds to
        // minutes). The master logs the signal instead; SWIFT_BACKTRACE set by the operator wins.
        if workerEnvironment["SWIFT_BACKTRACE"] == nil { workerEnvironment["SWIFT_BACKTRACE"] = "enable=no" }
        let supervisor = Supervisor(
            options: SupervisorOptions(
                listenFD: listenFD,
                arguments: CommandLine.arguments,
                environment: workerEnvironment
            ),
            settings: SupervisorSettings(workers: workerCount(configuration), logLevel: level),
            logger: logger
        )
        let socket = configuration.string(.serverSocket)
        let status = supervisor.run {
            // The workers read the file (and the secrets' files) themselves when they start; this
            // check keeps a broken configuration from replacing working workers.
            let fresh = Configuration.load(path: configPath, environment: processEnvironment, overrides: overrides)
            let problems = preflight(fresh, address: address)
            guard problems.isEmpty else { return .failure(SupervisorRefusal(problems.joined(separator: "; "))) }
            let workers = workerCount(fresh)
            guard workers > 0 else {
                return .failure(SupervisorRefusal("server.workers 0 (one process, no master) takes a restart"))
            }
            if fresh.string(.serverSocket) != socket {
                logger.warning("server.socket changed: the master keeps listening on \(address) until it is restarted")
            }
            let freshLevel = Logger.Level(rawValue: fresh.string(.serverLogLevel) ?? "info") ?? level
            return .success(SupervisorSettings(workers: workers, logLevel: freshLevel))
        }
        // Never shutdown(): an inherited socket belongs to systemd or spawn-fcgi. One bound here
        // goes with the master.
        if case .unix(let path) = address { unlink(path) }
        return status
    }

    /// What a worker would refuse to start with, found without starting anything: unknown keys and
    /// bad values, the log level, the base path, the access settings, the Statuspage services file,
    /// the Better Stack settings, and access control off on a socket other hosts reach.
    static func preflight(_ configuration: Configuration, address: ListenAddress) -> [String] {
        var problems = configuration.problems
        if Logger.Level(rawValue: configuration.string(.serverLogLevel) ?? "info") == nil {
            problems.append("server.log_level: unknown level \(configuration.string(.serverLogLevel) ?? "")")
        }
        let basePath = configuration.string(.serverBasePath) ?? ""
        if !(basePath.isEmpty || basePath.hasPrefix("/")) { problems.append("server.base_path must start with /") }
        if let socket = configuration.string(.serverSocket), ListenAddress(parsing: socket) == nil {
            problems.append("server.socket: cannot parse \(socket) (a unix path or HOST:PORT)")
        }
        do {
            let access = try ServicesFactory.accessPolicy(configuration)
            _ = try ServicesFactory.metricsSettings(configuration)
            if let token = configuration.secret(.betterstackToken) {
                _ = try BetterStackConfiguration(
                    baseURL: configuration.string(.betterstackURL) ?? BetterStackConfiguration.defaultBaseURL,
                    token: token,
                    requestTimeout: .milliseconds(Int64(configuration.double(.betterstackTimeout) * 1000))
                )
            }
            if access.isOpen, let exposure = ListenExposure.nonLoopback(address) {
                problems.append(
                    "listening on \(exposure) without access control: set access.bearer_token or "
                        + "access.basic_auth_user/_password, or listen on loopback or a unix socket"
                )
            }
        } catch {
            problems.append("\(error)")
        }
        return problems
    }
}
