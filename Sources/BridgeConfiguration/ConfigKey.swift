/// One setting of uptime-bridge: its dotted key in the config file, the environment variables that
/// override it, its type and default, and a line of documentation. The table of all of them
/// (``ConfigKey/all``) drives parsing, unknown-key reports, `uptime-bridge check` and the docs.
public struct ConfigKey: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case string
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        case boolean
        /// A secret: `key` holds the value, `key_file` (and `ENV_FILE`) a file to read it from.
        case secret
        /// A list of strings (YAML sequence, or comma-separated in the environment).
        case list
        /// A mapping of names to strings (YAML mapping); `key.NAME` entries.
        case map
    }

    public let key: String
    public let environment: [String]
    public let kind: Kind
    public let defaultValue: String?
    public let help: String

    public init(_ key: String, env: [String] = [], _ kind: Kind, default defaultValue: String? = nil, _ help: String) {
        self.key = key
        self.environment = env
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
    }
}

extension ConfigKey {
    public static let serverSocket = ConfigKey(
        "server.socket", env: ["UPTIME_BRIDGE_SOCKET"], .string,
        "Bind this unix socket path (mode 0660) or 127.0.0.1:PORT instead of the inherited socket.")
    public static let serverWorkers = ConfigKey(
        "server.workers", env: ["UPTIME_BRIDGE_WORKERS"], .integer(0...64),
        "Worker processes under one master that restarts them (default: the CPUs, 2 to 4); 0: one process, no master.")
    public static let serverThreads = ConfigKey(
        "server.threads", env: ["UPTIME_BRIDGE_THREADS"], .integer(1...256), default: "4", "FastCGI accept threads.")
    public static let serverMaxInFlight = ConfigKey(
        "server.max_in_flight", env: ["UPTIME_BRIDGE_MAX_IN_FLIGHT"], .integer(1...100_000), default: "512",
        "Requests open at once; past it new connections wait in the listen backlog.")
    public static let serverBasePath = ConfigKey(
        "server.base_path", env: ["UPTIME_BRIDGE_BASE_PATH"], .string, default: "",
        "Route prefix as nginx passes it, e.g. /uptime.")
    public static let serverMaxBodyBytes = ConfigKey(
        "server.max_body_bytes", env: ["UPTIME_BRIDGE_MAX_BODY_BYTES"], .integer(0...268_435_456), default: "1048576",
        "Largest request body (413 above it).")
    public static let serverNodeName = ConfigKey(
        "server.node_name", env: ["UPTIME_BRIDGE_NODE_NAME"], .string,
        "This node's name for the nodename parameter (default: the host name).")
    public static let serverLogLevel = ConfigKey(
        "server.log_level", env: ["UPTIME_BRIDGE_LOG_LEVEL"], .string, default: "info",
        "trace, debug, info, notice, warning, error or critical.")
    public static let serverDebugRoutes = ConfigKey(
        "server.debug_routes", env: ["UPTIME_BRIDGE_DEBUG_ROUTES"], .boolean, default: "false",
        "Register /_debug/* test functions. Never in production.")
    public static let limitsDeadline = ConfigKey(
        "limits.deadline_seconds", env: ["UPTIME_BRIDGE_DEADLINE_SECONDS"], .integer(1...3600), default: "30",
        "Longest a request may run; past it the function is cancelled and the client gets a 504.")
    public static let limitsUpstreamCalls = ConfigKey(
        "limits.upstream_calls", env: ["UPTIME_BRIDGE_UPSTREAM_CALLS"], .integer(1...100_000), default: "40",
        "Upstream loads (cache misses) one request may cause; past it a 422, or cached data when there is some.")
    public static let limitsMaxTargets = ConfigKey(
        "limits.max_targets", env: ["UPTIME_BRIDGE_MAX_TARGETS"], .integer(1...10_000), default: "20",
        "Targets in one Grafana /query (422 above it).")
    public static let limitsMaxPoints = ConfigKey(
        "limits.max_points", env: ["UPTIME_BRIDGE_MAX_POINTS"], .integer(1000...100_000_000), default: "200000",
        "Data points or table rows in one answer, over every series (422 above it, decided before loading).")
    public static let limitsMaxDataPoints = ConfigKey(
        "limits.max_data_points", env: ["UPTIME_BRIDGE_MAX_DATA_POINTS"], .integer(1...10_000_000), default: "100000",
        "Largest maxDataPoints a Grafana query may ask for (400 above it).")
    public static let limitsMaxAnswerBytes = ConfigKey(
        "limits.max_answer_bytes", env: ["UPTIME_BRIDGE_MAX_ANSWER_BYTES"], .integer(65_536...(1 << 30)),
        default: "16777216", "Largest answer body (422 above it).")
    public static let limitsMaxConcurrent = ConfigKey(
        "limits.max_concurrent", env: ["UPTIME_BRIDGE_MAX_CONCURRENT"], .integer(1...10_000), default: "4",
        "Expensive requests running at once per worker; more queue within their deadline (GET / never queues).")
    public static let betterstackURL = ConfigKey(
        "betterstack.api_url", env: ["BETTERSTACK_API_URL"], .string, default: "https://uptime.betterstack.com",
        "Better Stack Uptime API base URL.")
    public static let betterstackToken = ConfigKey(
        "betterstack.api_token", env: ["BETTERSTACK_API_TOKEN", "BetterStack_API_TOKEN"], .secret,
        "Better Stack Uptime API token (prefer api_token_file or the environment).")
    public static let betterstackTimeout = ConfigKey(
        "betterstack.timeout_seconds", env: ["BETTERSTACK_API_TIMEOUT"], .number(0.1...600), default: "10",
        "Timeout of one Better Stack request.")
    public static let betterstackRate = ConfigKey(
        "betterstack.rate_limit", env: ["BETTERSTACK_RATE_LIMIT"], .number(0.1...1000), default: "8",
        "Better Stack API calls per second for the whole deployment (split among the workers; CGI processes share it through the cache directory).")
    public static let betterstackBurst = ConfigKey(
        "betterstack.rate_burst", env: ["BETTERSTACK_RATE_BURST"], .integer(1...1000), default: "4",
        "Calls allowed at once after a quiet spell, on top of the rate.")
    public static let cacheMaxBytes = ConfigKey(
        "cache.max_bytes", env: ["UPTIME_BRIDGE_CACHE_MAX_BYTES"], .integer(1 << 20...(16 << 30)), default: "67108864",
        "Memory cache bound per worker (FastCGI).")
    public static let cacheDirectory = ConfigKey(
        "cache.directory", env: ["UPTIME_BRIDGE_CACHE_DIR"], .string,
        "File cache directory for CGI mode (default /tmp/uptime-bridge-cache-UID; keep it outside the web root).")
    public static let accessToken = ConfigKey(
        "access.bearer_token", env: ["UPTIME_BRIDGE_ACCESS_TOKEN"], .secret,
        "Require Authorization: Bearer <token> on every request.")
    public static let accessUser = ConfigKey(
        "access.basic_auth_user", env: ["UPTIME_BRIDGE_BASIC_AUTH_USER"], .string,
        "Require HTTP basic auth with this user (and basic_auth_password).")
    public static let accessPassword = ConfigKey(
        "access.basic_auth_password", env: ["UPTIME_BRIDGE_BASIC_AUTH_PASSWORD"], .secret, "Basic auth password.")
    public static let accessMonitors = ConfigKey(
        "access.monitors", env: ["UPTIME_BRIDGE_ALLOWED_MONITORS"], .list,
        "Allowlist of monitors (id, name or URL) and heartbeats (id or name); nothing else, and no other incident, is served. Empty: all.")
    public static let statuspageServices = ConfigKey(
        "statuspage.services_file", env: ["UPTIME_BRIDGE_STATUSPAGE_SERVICES"], .string,
        "statuspage-prometheus-exporter services.json, accepted as is.")
    public static let statuspagePages = ConfigKey(
        "statuspage.pages", .map, "Status pages by name: name: https://status.example.com")
    public static let statuspageTTL = ConfigKey(
        "statuspage.ttl_seconds", env: ["UPTIME_BRIDGE_STATUSPAGE_TTL_SECONDS"], .integer(1...86_400), default: "60",
        "One round of Statuspage probes per this many seconds at most (scrapes in between reuse it).")
    public static let statuspageStatusValues = ConfigKey(
        "statuspage.status_values", env: ["UPTIME_BRIDGE_STATUSPAGE_STATUS_VALUES"], .string, default: "exporter",
        "statuspage_service_status values: exporter (2.6.0 as published: 1 operational, 0 otherwise) or three_state (its README: 1 operational, 0 maintenance, -1 incident/down).")
    public static let metricsWindow = ConfigKey(
        "metrics.availability_window_days", env: ["UPTIME_BRIDGE_AVAILABILITY_WINDOW_DAYS"], .integer(1...365),
        default: "30", "Window of the availability gauge in /metrics.")
    public static let metricsBudget = ConfigKey(
        "metrics.scrape_budget_ms", env: ["UPTIME_BRIDGE_SCRAPE_BUDGET_MS"], .integer(50...60_000), default: "2000",
        "Longest a scrape waits for an upstream before serving the last known values.")
    public static let metricsResponseTimeTTL = ConfigKey(
        "metrics.response_time_ttl_seconds", env: ["UPTIME_BRIDGE_METRICS_RESPONSE_TIME_TTL_SECONDS"],
        .integer(1...86_400), default: "60",
        "How long /metrics reuses a monitor's latest response times (one upstream call per monitor each time).")
    public static let logsURL = ConfigKey(
        "logs.ingest_url", env: ["BETTERSTACK_LOGS_URL", "BETTERSTACK_INGEST_HOST"], .string,
        "Ship the bridge's own logs to this Better Stack Logs ingesting host (optional; a bare host name means https).")
    public static let logsToken = ConfigKey(
        "logs.source_token", env: ["BETTERSTACK_LOGS_TOKEN", "BETTERSTACK_SOURCE_TOKEN"], .secret, "Better Stack Logs source token.")
    public static let logsLevel = ConfigKey(
        "logs.level", env: ["BETTERSTACK_LOGS_LEVEL"], .string, default: "notice", "Least level shipped.")
    public static let errorsDSN = ConfigKey(
        "errors.dsn", env: ["UPTIME_BRIDGE_ERRORS_DSN", "BETTERSTACK_ERRORS_DSN"], .secret,
        "Report the bridge's own failures (500s, failed push runs, dead workers) to this Better Stack Errors (Sentry) DSN (optional).")
    public static let pushOpenTSDB = ConfigKey(
        "push.opentsdb_url", env: ["UPTIME_BRIDGE_OPENTSDB_URL"], .string,
        "OpenTSDB-compatible /api/put receiver for `uptime-bridge push`.")
    public static let pushPrecision = ConfigKey(
        "push.timestamp_precision", env: ["UPTIME_BRIDGE_OPENTSDB_PRECISION"], .string, default: "seconds",
        "seconds or milliseconds.")
    public static let pushCheckpoint = ConfigKey(
        "push.checkpoint_file", env: ["UPTIME_BRIDGE_CHECKPOINT"], .string,
        default: "/var/lib/uptime-bridge/push-checkpoint.json", "Where push records what it delivered.")
    public static let pushHeartbeat = ConfigKey(
        "push.heartbeat_url", env: ["UPTIME_BRIDGE_HEARTBEAT_URL", "BETTERSTACK_UPTIME_HEARTBEAT_URL"], .secret,
        "Better Stack heartbeat URL push pings with its outcome (the URL is a secret).")
    public static let pushBetterstack = ConfigKey(
        "push.betterstack", env: ["UPTIME_BRIDGE_PUSH_BETTERSTACK"], .boolean, default: "true",
        "Push Better Stack response times and daily availability.")
    public static let pushStatuspage = ConfigKey(
        "push.statuspage", env: ["UPTIME_BRIDGE_PUSH_STATUSPAGE"], .boolean, default: "true",
        "Push Statuspage status and component status.")
    public static let pushLookback = ConfigKey(
        "push.lookback_seconds", env: ["UPTIME_BRIDGE_PUSH_LOOKBACK_SECONDS"], .integer(60...7 * 86_400),
        default: "3600", "How far back each push run asks its sources; longer than the schedule's period, so runs overlap.")
    public static let pushMaxCatchUp = ConfigKey(
        "push.max_catch_up_seconds", env: ["UPTIME_BRIDGE_PUSH_MAX_CATCH_UP_SECONDS"], .integer(0...31 * 86_400),
        default: "604800",
        "After missed runs, how far back a run fetches the gap from where each source last completed; an older gap is reported as lost (exit 3). Checkpoint entries are kept one day longer than this or the look-back.")
    public static let pushPeriod = ConfigKey(
        "push.period_seconds", env: ["UPTIME_BRIDGE_PUSH_PERIOD_SECONDS"], .integer(60...86_400), default: "900",
        "The push schedule's period (the shipped timer: 15 min). Statuspage state is sampled once per period, stamped with the run's time rounded down to it.")
    public static let pushSLADays = ConfigKey(
        "push.betterstack_sla_days", env: ["UPTIME_BRIDGE_PUSH_SLA_DAYS"], .integer(0...6), default: "2",
        "Finished UTC days of Better Stack availability each push run offers (0: none).")
    public static let catchpointURL = ConfigKey(
        "catchpoint.api_url", env: ["CATCHPOINT_API_URL"], .string, default: "https://io.catchpoint.com",
        "Catchpoint REST API base URL.")
    public static let catchpointClientID = ConfigKey(
        "catchpoint.client_id", env: ["CATCHPOINT_CLIENT_ID"], .secret, "Catchpoint API client id.")
    public static let catchpointSecret = ConfigKey(
        "catchpoint.client_secret", env: ["CATCHPOINT_CLIENT_SECRET"], .secret, "Catchpoint API client secret.")
    public static let catchpointTests = ConfigKey(
        "catchpoint.tests", env: ["CATCHPOINT_TESTS"], .list, "Catchpoint test ids to push.")
    public static let catchpointJobConfig = ConfigKey(
        "catchpoint.job_config", env: ["CATCHPOINT_JOB_CONFIG"], .string,
        "The replaced Catchpoint → OpenTSDB job's config_catchpoint.yaml, read as is (credentials, test_ids by type, batch_size); the catchpoint keys above win where set.")
    public static let pushJobOpenTSDBConfig = ConfigKey(
        "push.job_opentsdb_config", env: ["UPTIME_BRIDGE_JOB_OPENTSDB_CONFIG"], .string,
        "The replaced job's config_opents.yaml (tsdb_host, tsdb_port), read as is when push.opentsdb_url is not set.")
    public static let catchpointBearer = ConfigKey(
        "catchpoint.bearer_encoding", env: ["CATCHPOINT_BEARER_ENCODING"], .string, default: "raw",
        "raw or base64: how the token is put in the Authorization header.")

    /// Every setting, in documentation order.
    public static let all: [ConfigKey] = [
        serverSocket, serverWorkers, serverThreads, serverMaxInFlight, serverBasePath, serverMaxBodyBytes, serverNodeName,
        serverLogLevel, serverDebugRoutes, limitsDeadline, limitsUpstreamCalls, limitsMaxTargets, limitsMaxPoints,
        limitsMaxDataPoints, limitsMaxAnswerBytes, limitsMaxConcurrent, betterstackURL, betterstackToken, betterstackTimeout, betterstackRate, betterstackBurst, cacheMaxBytes,
        cacheDirectory, accessToken, accessUser, accessPassword, accessMonitors, statuspageServices, statuspagePages,
        statuspageTTL, statuspageStatusValues, metricsWindow, metricsBudget, metricsResponseTimeTTL, logsURL, logsToken, logsLevel, errorsDSN, pushOpenTSDB, pushPrecision, pushCheckpoint,
        pushHeartbeat, pushBetterstack, pushStatuspage, pushLookback, pushMaxCatchUp, pushPeriod, pushSLADays, catchpointURL, catchpointClientID, catchpointSecret,
        catchpointTests, catchpointJobConfig, catchpointBearer, pushJobOpenTSDBConfig,
    ]
}
