/// Where to send logs: the per-source ingesting host and its source token.
///
/// The host is shown in Better Stack → Sources (e.g. `https://s1234567.eu-nbg-2.betterstackdata.com`);
/// the shared `in.logs.betterstack.com` is older. The source token is not the Uptime API token.
public struct LogsIngestConfiguration: Sendable, CustomStringConvertible {
    /// The ingest endpoint URL (records are POSTed to it as is).
    public var ingestURL: String { base.origin + (base.pathPrefix.isEmpty ? "/" : base.pathPrefix) }
    /// The source token.
    public let sourceToken: Secret
    /// Per attempt.
    public var requestTimeout: Duration
    /// Retries on 5xx, timeouts and resets (a retried batch may be stored twice; logs tolerate that).
    public var retryPolicy: RetryPolicy
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// The largest request body the client sends; larger batches are split (see
    /// ``LogsIngestClient/send(_:)``). Default ``defaultMaxRequestBytes``.
    public var maxRequestBytes: Int

    /// 1 MiB: the cap on one ingest request's body.
    ///
    /// Better Stack Logs answers 413 `payload reached size limit` to larger requests; its current
    /// documentation allows 10 MiB per request (older versions said 20 MiB) and recommends records
    /// under 100 KiB. A tenth of the documented limit leaves room for a lower limit on some
    /// ingesting hosts and keeps one retry cheap; the bridge's own log batches (250 records of a
    /// few hundred bytes) stay far below it.
    public static let defaultMaxRequestBytes = 1 << 20

    /// The smallest cap accepted (a record of a few hundred bytes must fit).
    public static let minimumMaxRequestBytes = 1024

    let base: BaseURL

    /// A validated configuration.
    public init(
        ingestURL: String,
        sourceToken: Secret,
        requestTimeout: Duration = .seconds(10),
        retryPolicy: RetryPolicy = .betterStack,
        userAgent: String = "uptime-bridge",
        maxRequestBytes: Int = LogsIngestConfiguration.defaultMaxRequestBytes
    ) throws(BetterStackError) {
        guard !sourceToken.isEmpty else {
            throw .invalidConfiguration("the Better Stack Logs source token is empty")
        }
        guard sourceToken.reveal().allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw .invalidConfiguration(
                "the Better Stack Logs source token contains whitespace or non-ASCII characters"
            )
        }
        guard requestTimeout > .zero else {
            throw .invalidConfiguration("the request timeout must be positive")
        }
        guard maxRequestBytes >= Self.minimumMaxRequestBytes else {
            throw .invalidConfiguration(
                "the Better Stack Logs request size cap must be at least \(Self.minimumMaxRequestBytes) bytes"
            )
        }
        base = try BaseURL.betterStack(Self.withScheme(ingestURL), what: "the Better Stack Logs ingest URL")
        self.sourceToken = sourceToken
        self.requestTimeout = requestTimeout
        self.retryPolicy = retryPolicy
        self.userAgent = userAgent
        self.maxRequestBytes = maxRequestBytes
    }

    /// A bare host name, as Better Stack's integration guide names it (`BETTERSTACK_INGEST_HOST`,
    /// e.g. `s1234567.eu-nbg-2.betterstackdata.com`), means HTTPS to that host; anything with a
    /// scheme is taken as written.
    public static func withScheme(_ ingestURL: String) -> String {
        let trimmed = String(ingestURL.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        return trimmed.isEmpty || trimmed.contains("://") ? trimmed : "https://" + trimmed
    }

    public var description: String {
        "LogsIngestConfiguration(ingestURL: \(ingestURL), sourceToken: <redacted>)"
    }
}
