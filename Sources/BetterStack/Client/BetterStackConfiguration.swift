/// Where and how to reach the Better Stack Uptime API.
///
/// Validated when built: an empty token or a malformed base URL is an
/// ``BetterStackError/invalidConfiguration(_:)`` at construction, never a crash or a
/// confusing failure at the first request. The description never shows the token.
public struct BetterStackConfiguration: Sendable, CustomStringConvertible {
    /// `https://uptime.betterstack.com`.
    public static let defaultBaseURL = "https://uptime.betterstack.com"

    /// The API origin (plus optional path prefix), without trailing slash, e.g. `http://127.0.0.1:8081`
    /// for the sandbox.
    public var baseURL: String { base.description }
    /// The Uptime API token (team-scoped or global).
    public let token: Secret
    /// Deadline for each HTTP attempt.
    public var requestTimeout: Duration
    /// Retries and backoff.
    public var retryPolicy: RetryPolicy
    /// Sent as `User-Agent`.
    public var userAgent: String

    let base: BaseURL

    /// A validated configuration.
    public init(
        baseURL: String = BetterStackConfiguration.defaultBaseURL,
        token: Secret,
        requestTimeout: Duration = .seconds(10),
        retryPolicy: RetryPolicy = .betterStack,
        userAgent: String = "uptime-bridge"
    ) throws(BetterStackError) {
        guard !token.isEmpty else {
            throw .invalidConfiguration("the Better Stack API token is empty")
        }
        guard token.reveal().allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
            // It goes into an HTTP header; whitespace or control characters mean a copy/paste mistake.
            throw .invalidConfiguration("the Better Stack API token contains whitespace or non-ASCII characters")
        }
        guard requestTimeout > .zero else {
            throw .invalidConfiguration("the request timeout must be positive")
        }
        guard retryPolicy.maxAttempts >= 1 else {
            throw .invalidConfiguration("retry policy needs at least one attempt")
        }
        self.base = try BaseURL.betterStack(baseURL, what: "the Better Stack API URL")
        self.token = token
        self.requestTimeout = requestTimeout
        self.retryPolicy = retryPolicy
        self.userAgent = userAgent
    }

    public var description: String {
        "BetterStackConfiguration(baseURL: \(baseURL), token: <redacted>, timeout: \(requestTimeout), "
            + "attempts: \(retryPolicy.maxAttempts))"
    }
}
