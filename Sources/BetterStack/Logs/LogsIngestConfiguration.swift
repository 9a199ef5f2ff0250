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

    let base: BaseURL

    /// A validated configuration.
    public init(
        ingestURL: String,
        sourceToken: Secret,
        requestTimeout: Duration = .seconds(10),
        retryPolicy: RetryPolicy = .default,
        userAgent: String = "uptime-bridge"
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
        base = try BaseURL(parsing: ingestURL, what: "the Better Stack Logs ingest URL")
        self.sourceToken = sourceToken
        self.requestTimeout = requestTimeout
        self.retryPolicy = retryPolicy
        self.userAgent = userAgent
    }

    public var description: String {
        "LogsIngestConfiguration(ingestURL: \(ingestURL), sourceToken: <redacted>)"
    }
}
