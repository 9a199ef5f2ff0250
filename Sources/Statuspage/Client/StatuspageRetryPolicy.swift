/// When and how long to wait before asking a page again, after the exporter's
/// `Retry(total=3, backoff_factor=0.5, status_forcelist=(500, 502, 503, 504))` (urllib3).
public struct StatuspageRetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt.
    public var maxRetries: Int
    /// urllib3's backoff factor: no wait before the first retry, then `factor × 2^(n-1)` before
    /// retry `n` (0, 1 s, 2 s with the default 0.5 s).
    public var backoffFactor: Duration
    /// Statuses worth another try.
    public var retryStatuses: Set<Int>
    /// Statuses retried when the answer carries `Retry-After`, even if not in ``retryStatuses``
    /// (urllib3's `Retry.RETRY_AFTER_STATUS_CODES`, which the exporter's `Retry` honours: a 429
    /// with `Retry-After` is waited out and asked again).
    public static let retryAfterStatuses: Set<Int> = [413, 429, 503]
    /// A `Retry-After` on a retried status is honoured up to this long (urllib3 honours it
    /// without bound; a scrape cannot wait that long).
    public var maxRetryAfter: Duration

    public init(
        maxRetries: Int = 3,
        backoffFactor: Duration = .milliseconds(500),
        retryStatuses: Set<Int> = [500, 502, 503, 504],
        maxRetryAfter: Duration = .seconds(15)
    ) {
        self.maxRetries = maxRetries
        self.backoffFactor = backoffFactor
        self.retryStatuses = retryStatuses
        self.maxRetryAfter = maxRetryAfter
    }

    /// The exporter's policy.
    public static let exporter = StatuspageRetryPolicy()
    /// One attempt only.
    public static let none = StatuspageRetryPolicy(maxRetries: 0)

    /// Whether an answer with `status` is asked again (attempts permitting).
    public func retries(status: Int, hasRetryAfter: Bool) -> Bool {
        retryStatuses.contains(status) || (hasRetryAfter && Self.retryAfterStatuses.contains(status))
    }

    /// The wait before retry number `retry` (1-based), given the failed answer's `Retry-After`.
    public func delay(beforeRetry retry: Int, retryAfterSeconds: Int?) -> Duration {
        if let retryAfterSeconds, retryAfterSeconds >= 0 {
            return min(.seconds(retryAfterSeconds), maxRetryAfter)
        }
        guard retry > 1 else { return .zero }
        return backoffFactor * (1 << min(retry - 1, 20))
    }
}
