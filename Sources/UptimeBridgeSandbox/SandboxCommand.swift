import ArgumentParser
import Logging
import Sandbox

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `uptime-bridge-sandbox`: the fake Better Stack Uptime API on 127.0.0.1.
@main
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uptime-bridge-sandbox",
        abstract: "A faithful fake of the Better Stack Uptime API (and Logs ingestion) on 127.0.0.1.",
        discussion: """
            Prints one line, "listening on http://127.0.0.1:<port>", on stdout once
            bound; logs go to stderr. Stops cleanly on SIGTERM or SIGINT.

            Faults: --fault ROUTE=KNOB[,KNOB...], ROUTE a route name or '*'.
            Knobs: latency=MS status=CODE rate=0..1 retry_after=S
                   truncate[=close|json] garbage reset count=N
            Routes: monitors monitor response_times sla incidents heartbeats
                    heartbeat heartbeat_availability status_pages status_page
                    status_page_resources heartbeat_ping logs_ingest
                    statuspage_summary statuspage_status statuspage_components
                    statuspage_incidents statuspage_scheduled_maintenances
                    catchpoint_token catchpoint_raw
            Example: --fault 'response_times=status=503,rate=0.5'

            Rate limit: --rate-limit N answers 429 "Rate limited" (text/plain, no
            Retry-After) to every Uptime API request (/api/v2/..., /api/v3/...) past
            the N-th in one wall-clock second; 0 is off. At run time:
            POST /_sandbox/rate-limit?per_second=N (0 = off), GET and DELETE the same
            path. GET /_sandbox/stats shows requests per second under "per_second".
            """
    )

    @Option(help: "TCP port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 8089

    @Option(help: "Address to listen on (default 127.0.0.1; a private test network's address for the multi-host test).")
    var host: String = "127.0.0.1"

    @Option(help: "Uptime API token expected in 'Authorization: Bearer …'.")
    var token: String = SandboxConfiguration.defaultToken

    @Option(name: .customLong("logs-token"), help: "Better Stack Logs source token for POST / and POST /_logs.")
    var logsToken: String = SandboxConfiguration.defaultLogsToken

    @Option(help: "Number of monitors to generate.")
    var monitors: Int = 5

    @Option(
        name: .customLong("check-frequency"),
        help: "Every monitor's check frequency in seconds (default: a realistic mix of 30, 60, 180 and 300)."
    )
    var checkFrequency: Int?

    @Option(help: "Number of heartbeats to generate.")
    var heartbeats: Int = 3

    @Option(help: "Number of Statuspage pages to generate (/statuspage/page-1 …).")
    var statuspages: Int = 3

    @Option(help: "Seed of the synthetic data.")
    var seed: UInt64 = 1

    @Option(help: "Anchor time: epoch milliseconds or YYYY-MM-DDTHH:MM:SS[.mmm]Z (default: now).")
    var now: String?

    @Option(name: .customLong("catchpoint-client-id"), help: "Catchpoint client_id the token endpoint accepts.")
    var catchpointClientID: String = CatchpointSandboxOptions.defaultClientID

    @Option(name: .customLong("catchpoint-client-secret"), help: "Catchpoint client_secret the token endpoint accepts.")
    var catchpointClientSecret: String = CatchpointSandboxOptions.defaultClientSecret

    @Option(name: .customLong("catchpoint-token-lifetime"), help: "Seconds a Catchpoint access token lives.")
    var catchpointTokenLifetime: Int = 900

    @Option(name: .customLong("latency-ms"), help: "Latency added to every API route, in milliseconds.")
    var latencyMilliseconds: Int?

    @Option(name: .customLong("fault"), help: "A fault, ROUTE=KNOB[,KNOB…] (repeatable).")
    var faults: [String] = []

    @Option(
        name: .customLong("rate-limit"),
        help: "Uptime API requests allowed per wall-clock second; beyond, 429 'Rate limited' (0 = off)."
    )
    var rateLimit: Int = 0

    @Option(
        name: .customLong("max-body-bytes"),
        help: "Largest request body; above it 413 'payload reached size limit' (Logs' documented 10 MiB)."
    )
    var maxBodyBytes: Int = SandboxConfiguration.defaultMaxBodyBytes

    @Option(help: "Event loop threads.")
    var threads: Int = 2

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard monitors >= 0, heartbeats >= 0 else { throw ValidationError("counts must not be negative") }
        guard statuspages >= 0 else { throw ValidationError("--statuspages must not be negative") }
        guard (0...1_000_000).contains(rateLimit) else { throw ValidationError("--rate-limit must be 0…1000000") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard catchpointTokenLifetime > 0 else { throw ValidationError("--catchpoint-token-lifetime must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        if let now, anchor(now) == nil { throw ValidationError("--now must be epoch ms or an ISO 8601 UTC time") }
        for fault in faults { _ = try parse(fault) }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "uptime-bridge-sandbox")

        var faultList = try faults.map(parse)
        if let latencyMilliseconds {
            faultList.insert(Fault(route: .all, latencyMilliseconds: latencyMilliseconds), at: 0)
        }
        var configuration = SandboxConfiguration(
            port: port,
            token: token,
            logsToken: logsToken,
            monitors: monitors,
            checkFrequency: checkFrequency,
            heartbeats: heartbeats,
            statuspages: statuspages,
            seed: seed,
            now: now.flatMap(anchor) ?? Timestamp.nowMilliseconds(),
            faults: faultList,
            threads: threads,
            maxBodyBytes: maxBodyBytes,
            rateLimitPerSecond: rateLimit,
            catchpoint: CatchpointSandboxOptions(
                clientID: catchpointClientID,
                clientSecret: catchpointClientSecret,
                tokenLifetimeSeconds: catchpointTokenLifetime
            )
        )
        configuration.host = host
        let signals = SignalWaiter(signals: [SIGTERM, SIGINT])
        let server = try await SandboxServer.start(configuration, logger: logger)
        writeStandardOutput("listening on http://\(host):\(server.port)\n")
        let signal = await signals.next()
        logger.info("stopping", metadata: ["signal": "\(signal)"])
        try await server.shutdown()
    }

    private func parse(_ spec: String) throws -> Fault {
        do {
            return try Fault(cliSpec: spec)
        } catch let error as FaultParseError {
            throw ValidationError(error.description)
        }
    }

    private func anchor(_ text: String) -> Int64? {
        Int64(text) ?? Timestamp.parseISO8601(text)
    }

    /// Unbuffered, so a parent process reading the pipe sees the line at once.
    private func writeStandardOutput(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }
}
