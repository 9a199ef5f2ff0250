/// How often and how patiently a request is repeated after a 5xx, 408, 429 or connection
/// failure: exponential backoff from ``initialBackoff``, doubled each time, capped at
/// ``maxBackoff``; a `Retry-After` in seconds wins when it is shorter than the cap.
public struct RetryPolicy: Sendable, Hashable {
    /// Requests in total, the first included; 1 means never retry.
    public var maxAttempts: Int
    /// Wait before the second attempt.
    public var initialBackoff: Duration
    /// Longest single wait.
    public var maxBackoff: Duration

    /// A policy; the defaults wait 0.5 s, 1 s, 2 s (about 3.5 s in all) before giving up.
    public init(maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(8))
    {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// Never retry.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt number `attempt` (1-based), honouring `retryAfterSeconds`.
    public func backoff(afterAttempt attempt: Int, retryAfterSeconds: Int? = nil) -> Duration {
        if let retryAfterSeconds, retryAfterSeconds >= 0 {
            return min(.seconds(retryAfterSeconds), maxBackoff)
        }
        var wait = initialBackoff
        for _ in 1..<max(1, attempt) {
            wait = wait * 2
            if wait >= maxBackoff { return maxBackoff }
        }
        return min(wait, maxBackoff)
    }
}
