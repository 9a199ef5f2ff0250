import ArgumentParser
import BetterStack
import BridgeConfiguration
import Catchpoint
import Logging
import OpenTSDB
import Push
import Statuspage

#if canImport(Glibc)
    import Glibc
#endif

/// `uptime-bridge push`: one push run (Catchpoint, Better Stack and Statuspage into an OpenTSDB
/// `/api/put` receiver, exactly once via the checkpoint file), then exit.
///
/// Prints the run's one-line summary on stdout and exits with the report's code (0 ok, 1
/// failure, 2 refused points, 3 a gap in the runs too old to fill (points lost), 75 another run
/// holds the lock, 78 bad configuration). Progress
/// goes to stderr only when stderr is a terminal; warnings and errors always do.
///
/// With `push.heartbeat_url` set it then pings that Better Stack heartbeat: `GET <url>` after a
/// successful run, else `POST <url>/<exit code>` with the summary line as body. A ping that
/// fails is reported on stderr and does not change the exit code.
struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push Catchpoint, Better Stack and Statuspage data to an OpenTSDB receiver once, then exit.",
        discussion: """
            Exit codes: 0 ok, 1 failure (a source, the receiver or the checkpoint), 2 some points \
            refused, 3 a gap in the runs older than push.max_catch_up_seconds (points lost), 75 \
            another run holds the checkpoint lock, 78 bad configuration.
            """
    )

    @Option(help: "Config file (YAML). Env: UPTIME_BRIDGE_CONFIG. Default: /etc/uptime-bridge/config.yaml if present.")
    var config: String?

    @Option(help: "Look back this many seconds instead of push.lookback_seconds (e.g. to backfill).")
    var lookback: Int?

    func run() throws {
        let terminal = isatty(2) != 0
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = terminal ? .info : .warning
            return handler
        }
        let logger = Logger(label: "uptime-bridge.push")
        var environment = ServicesFactory.processEnvironment()
        let configuration = Configuration.load(path: config, environment: environment)
        if let lookback, case .integer(let range) = ConfigKey.pushLookback.kind, !range.contains(lookback) {
            // Named as the operator typed it, not as the setting it overrides.
            let report = PushReport(
                failure: .configuration("--lookback must be a whole number of seconds from \(range.lowerBound) to \(range.upperBound), got \(lookback)")
            )
            logger.error("\(report.summary)")
            print(report.summary)
            throw ExitCode(report.exitCode)
        }

        var heartbeat: Heartbeat?
        var report: PushReport
        do {
            heartbeat = try Self.heartbeat(configuration, logger: logger)
            var chosen = try Self.settings(configuration, logger: logger)
            if let lookback { chosen.lookback = .seconds(lookback) }
            let settings = chosen
            report = Self.blocking { await PushJob.run(settings: settings, logger: logger) }
        } catch {
            heartbeat = try? Self.heartbeat(configuration, logger: logger)
            report = PushReport(failure: .configuration(error.reason))
        }
        print(report.summary)
        fflush(nil)
        if !report.succeeded, let errors = try? ErrorReporting.make(configuration: configuration) {
            // Bounded: a stalled ingest costs the run at most the deadline.
            errors.report(ErrorReporting.pushFailed(exitCode: report.exitCode, summary: report.summary))
            Self.blocking { await errors.shutdown(deadline: .seconds(5)) }
        }
        if let heartbeat {
            let finished = report
            let failure = Self.blocking { await heartbeat.ping(finished) }
            if let failure {
                let line = Array("uptime-bridge push: heartbeat ping failed (exit code unchanged): \(failure)\n".utf8)
                _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            }
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    static func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        CheckCommand.blocking(body)
    }

    /// The push settings the configuration describes; the first problem as one line.
    static func settings(_ configuration: Configuration, logger: Logger) throws(PushConfigurationError) -> PushSettings {
        if let problem = configuration.problems.first { throw PushConfigurationError(problem) }
        var url = configuration.string(.pushOpenTSDB) ?? ""
        if url.isEmpty, let path = configuration.string(.pushJobOpenTSDBConfig), !path.isEmpty {
            url = try openTSDBJobConfig(path).url
        }
        guard !url.isEmpty else {
            throw PushConfigurationError(
                "push.opentsdb_url is not set (UPTIME_BRIDGE_OPENTSDB_URL, or push.job_opentsdb_config naming the job's config_opents.yaml)"
            )
        }
        var job: CatchpointJobConfig?
        if let path = configuration.string(.catchpointJobConfig), !path.isEmpty {
            job = try catchpointJobConfig(path)
        }
        let precisionText = configuration.string(.pushPrecision) ?? "seconds"
        guard let precision = TimestampPrecision(rawValue: precisionText) else {
            throw PushConfigurationError("push.timestamp_precision must be seconds or milliseconds, not \(precisionText)")
        }
        var settings = PushSettings(
            receiver: ReceiverSettings(url: url),
            checkpointPath: configuration.string(.pushCheckpoint) ?? "/var/lib/uptime-bridge/push-checkpoint.json",
            lookback: .seconds(configuration.int(.pushLookback)),
            maxCatchUp: .seconds(configuration.int(.pushMaxCatchUp))
        )

        // Catchpoint: all three of id, secret and tests, or none (then skipped). The replaced job's
        // config_catchpoint.yaml (catchpoint.job_config) supplies whatever the bridge's keys leave unset.
        let id = configuration.secret(.catchpointClientID)?.reveal() ?? job?.clientID
        let secret = configuration.secret(.catchpointSecret)?.reveal() ?? job?.clientSecret
        let tests = configuration.list(.catchpointTests)
        if id != nil || secret != nil || !tests.isEmpty || job != nil {
            guard let id, let secret, !tests.isEmpty || job != nil else {
                throw PushConfigurationError(
                    "catchpoint: set client_id, client_secret and tests together (or none to skip Catchpoint)"
                )
            }
            var testIDs: [Int] = []
            var requestGroups: [[Int]]?
            if !tests.isEmpty {
                for test in tests {
                    guard let number = Int(test), number > 0 else {
                        throw PushConfigurationError("catchpoint.tests: \(test) is not a positive test id")
                    }
                    testIDs.append(number)
                }
            } else if let job {
                // One type's tests per request, batch_size at a time, as the job sends them.
                testIDs = job.groups.flatMap(\.testIDs)
                requestGroups = job.groups.flatMap { group in
                    CatchpointClient.requestGroups(group.testIDs, size: job.batchSize ?? CatchpointConfiguration.maxTestsPerRequest)
                }
            }
            let bearerText = configuration.string(.catchpointBearer) ?? "raw"
            guard let bearer = BearerEncoding(rawValue: bearerText) else {
                throw PushConfigurationError("catchpoint.bearer_encoding must be raw or base64, not \(bearerText)")
            }
            let baseURL =
                configuration.isSet(.catchpointURL)
                ? configuration.string(.catchpointURL) ?? CatchpointConfiguration.defaultBaseURL
                : job?.apiURL ?? configuration.string(.catchpointURL) ?? CatchpointConfiguration.defaultBaseURL
            var catchpoint = CatchpointSettings(
                baseURL: baseURL,
                clientID: Secret(id),
                clientSecret: Secret(secret),
                testIDs: testIDs,
                bearerEncoding: bearer,
                precision: precision
            )
            catchpoint.requestGroups = requestGroups
            settings.catchpoint = catchpoint
        }

        // Better Stack: when a token is set and push.betterstack is on.
        if configuration.bool(.pushBetterstack) {
            let client: BetterStackClient?
            do {
                client = try ServicesFactory.betterStackClient(configuration, logger: logger)
            } catch {
                throw PushConfigurationError("betterstack: \(error)")
            }
            if let client {
                settings.additionalSources.append(
                    BetterStackSource(
                        client: client,
                        allowlist: Set(configuration.list(.accessMonitors)),
                        slaDays: configuration.int(.pushSLADays),
                        precision: precision
                    )
                )
            }
        }

        // Statuspage: the pages of statuspage.services_file and statuspage.pages.
        if configuration.bool(.pushStatuspage) {
            let services: [StatuspageService]
            do {
                services = try ServicesFactory.metricsSettings(configuration).statuspageServices
            } catch {
                throw PushConfigurationError("\(error)")
            }
            if !services.isEmpty {
                settings.additionalSources.append(
                    StatuspageSource(
                        client: StatuspageClient(logger: logger),
                        services: services,
                        precision: precision,
                        period: .seconds(configuration.int(.pushPeriod))
                    )
                )
            }
        }
        if settings.catchpoint == nil && settings.additionalSources.isEmpty {
            throw PushConfigurationError(
                "no sources configured (Catchpoint credentials and tests, a Better Stack token, or Statuspage pages)"
            )
        }
        return settings
    }

    /// The replaced job's `config_catchpoint.yaml` at `path` (``CatchpointJobConfig``).
    static func catchpointJobConfig(_ path: String) throws(PushConfigurationError) -> CatchpointJobConfig {
        try readJobFile(path, key: ConfigKey.catchpointJobConfig.key, parse: CatchpointJobConfig.parse)
    }

    /// The replaced job's `config_opents.yaml` at `path` (``OpenTSDBJobConfig``).
    static func openTSDBJobConfig(_ path: String) throws(PushConfigurationError) -> OpenTSDBJobConfig {
        try readJobFile(path, key: ConfigKey.pushJobOpenTSDBConfig.key, parse: OpenTSDBJobConfig.parse)
    }

    /// Reads and parses one of the job's files; failures name the config key and the path, never
    /// the file's text (it holds the API secret).
    private static func readJobFile<Value>(
        _ path: String,
        key: String,
        parse: (String) throws(JobConfigError) -> Value
    ) throws(PushConfigurationError) -> Value {
        let text: String
        do {
            text = try Configuration.readFile(path)
        } catch {
            throw PushConfigurationError("\(key): cannot read \(path)")
        }
        do {
            return try parse(text)
        } catch {
            throw PushConfigurationError("\(key): \(path): \(error.description)")
        }
    }

    /// The heartbeat to ping, when `push.heartbeat_url` is set.
    static func heartbeat(_ configuration: Configuration, logger: Logger) throws(PushConfigurationError) -> Heartbeat? {
        guard let url = configuration.secret(.pushHeartbeat)?.reveal(), !url.isEmpty else { return nil }
        guard let marker = url.firstRange(of: "/api/v1/heartbeat/"), let token = HeartbeatPinger.token(fromPingURL: url)
        else {
            // Never quote the URL: the token is in it.
            throw PushConfigurationError("push.heartbeat_url is not a Better Stack heartbeat URL (…/api/v1/heartbeat/<token>)")
        }
        do {
            let pinger = try HeartbeatPinger(baseURL: String(url[..<marker.lowerBound]), logger: logger)
            return Heartbeat(pinger: pinger, token: token)
        } catch {
            throw PushConfigurationError("push.heartbeat_url: \(error)")
        }
    }

    struct Heartbeat: Sendable {
        var pinger: HeartbeatPinger
        var token: Secret

        /// Pings with the run's outcome; the failure as one line, or nil.
        func ping(_ report: PushReport) async -> String? {
            do {
                if report.succeeded {
                    try await pinger.ping(token: token, outcome: .success)
                } else {
                    try await pinger.ping(token: token, outcome: .exitCode(report.exitCode), body: report.summary + "\n")
                }
                return nil
            } catch {
                return String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            }
        }
    }
}
