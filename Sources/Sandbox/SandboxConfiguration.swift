/// Everything that shapes one sandbox run. Two runs with the same configuration (including
/// `now`) serve byte-identical payloads.
public struct SandboxConfiguration: Sendable {
    /// Default Uptime API token: `sandbox-token`.
    public static let defaultToken = "sandbox-token"
    /// Default Better Stack Logs source token: `sandbox-logs-token`.
    public static let defaultLogsToken = "sandbox-logs-token"
    /// The public key the Errors (Sentry envelope) ingest takes in `X-Sentry-Auth`.
    public static let defaultErrorsKey = "sandboxerrorskey"
    /// Default largest request body: 10 MiB, Better Stack Logs' documented per-request limit.
    public static let defaultMaxBodyBytes = 10 * 1024 * 1024

    /// TCP port on ``host``; 0 picks a free one (read it back from ``SandboxServer/port``).
    public var port: Int
    /// The address to listen on: 127.0.0.1 unless a test puts the sandbox on a private network of
    /// its own (the multi-host test's network namespaces).
    public var host: String = "127.0.0.1"
    /// The Uptime API token accepted in `Authorization: Bearer …`.
    public var token: String
    /// The Logs source token accepted by `POST /` and `POST /_logs`.
    public var logsToken: String
    /// The Errors ingest's public key (`sentry_key`); a DSN for it is
    /// `http://<key>@127.0.0.1:<port>/1`.
    public var errorsKey: String = SandboxConfiguration.defaultErrorsKey
    /// How many monitors to generate (ids 200001, 200002, …).
    public var monitors: Int
    /// Every monitor's `check_frequency` in seconds, instead of the realistic mix (30, 60, 180 or
    /// 300 s; about 1,300 response-time points per region a day on average). A sweep over
    /// thousands of monitors that tests pacing rather than decoding sets 300 (288 points a region).
    public var checkFrequency: Int?
    /// How many heartbeats to generate (ids 300001, 300002, …).
    public var heartbeats: Int
    /// How many Statuspage pages to generate (`/statuspage/page-1` …), besides the fixture pages.
    public var statuspages: Int
    /// Seed of the synthetic data and of the fault dice.
    public var seed: UInt64
    /// The anchor time in milliseconds since the epoch: response times end here, "today" for
    /// SLA validation is this day. Fixed for the life of the server.
    public var now: Int64
    /// Faults in force from the start.
    public var faults: [Fault]
    /// Event loop threads.
    public var threads: Int
    /// Largest request body accepted; a larger one is answered 413 `payload reached size limit`
    /// (Better Stack Logs' wording; its documented limit is 10 MiB per request).
    public var maxBodyBytes: Int
    /// Rate-limit mode for the Better Stack Uptime API routes (`/api/v2/…`, `/api/v3/…`): requests
    /// per wall-clock second; beyond it 429 `Rate limited`. 0 (the default) is off. Settable at run
    /// time with `POST /_sandbox/rate-limit?per_second=N`.
    public var rateLimitPerSecond: Int
    /// How many heartbeat pings and log records are kept for `/_sandbox/pings` and `/_sandbox/logs`.
    public var recordLimit: Int
    /// The Catchpoint fake's credentials and token lifetime.
    public var catchpoint: CatchpointSandboxOptions

    /// A configuration; every parameter has the documented default.
    public init(
        port: Int = 0,
        token: String = SandboxConfiguration.defaultToken,
        logsToken: String = SandboxConfiguration.defaultLogsToken,
        monitors: Int = 5,
        checkFrequency: Int? = nil,
        heartbeats: Int = 3,
        statuspages: Int = 3,
        seed: UInt64 = 1,
        now: Int64 = Timestamp.nowMilliseconds(),
        faults: [Fault] = [],
        threads: Int = 2,
        maxBodyBytes: Int = SandboxConfiguration.defaultMaxBodyBytes,
        rateLimitPerSecond: Int = 0,
        recordLimit: Int = 10_000,
        catchpoint: CatchpointSandboxOptions = CatchpointSandboxOptions()
    ) {
        self.port = port
        self.token = token
        self.logsToken = logsToken
        self.monitors = monitors
        self.checkFrequency = checkFrequency.map { max(1, $0) }
        self.heartbeats = heartbeats
        self.statuspages = statuspages
        self.seed = seed
        self.now = now
        self.faults = faults
        self.threads = threads
        self.maxBodyBytes = maxBodyBytes
        self.rateLimitPerSecond = rateLimitPerSecond
        self.recordLimit = recordLimit
        self.catchpoint = catchpoint
    }
}
