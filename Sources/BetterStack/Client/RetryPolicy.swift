/// How often and how patiently a client retries.
///
/// Retried: 5xx, timeouts, refused and reset connections (exponential backoff with jitter), and
/// 429 (waiting for `Retry-After` when given, capped by ``retryAfterCap``, else backoff). Other
/// 4xx are final.
public struct RetryPolicy: Sendable, Hashable {
    /// Total attempts including the first one (at least 1).
    public var maxAttempts: Int
    /// The wait before the second attempt; it doubles for each further attempt.
    public var baseBackoff: Duration
    /// The longest backoff wait between two attempts.
    public var maxBackoff: Duration
    /// The longest wait for a `Retry-After` header; a longer request is shortened to this.
    public var retryAfterCap: Duration

    /// A policy; the defaults give three attempts about 0.25 s and 0.5 s apart.
    public init(
        maxAttempts: Int = 3,
        baseBackoff: Duration = .milliseconds(250),
        maxBackoff: Duration = .seconds(8),
        retryAfterCap: Duration = .seconds(30)
    ) {
        self.maxAttempts = maxAttempts
        self.baseBackoff = baseBackoff
        self.maxBackoff = maxBackoff
        self.retryAfterCap = retryAfterCap
    }

    /// Three attempts, 0.25 s base backoff, 8 s backoff cap, 30 s `Retry-After` cap.
    public static let `default` = RetryPolicy()

    /// A single attempt, no retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The backoff before attempt `attempt + 1`, with "equal jitter": between half and all of
    /// the exponential value, so that workers hitting the same failure spread out.
    /// `unitRandom` is in `0..<1`.
    func backoff(afterAttempt attempt: Int, unitRandom: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        var wait = baseBackoff * (1 << exponent)
        if wait > maxBackoff || wait < .zero {
            wait = maxBackoff
        }
        return wait * (0.5 + 0.5 * min(max(unitRandom, 0), 1))
    }

    /// The wait a `Retry-After` asks for, capped.
    func cappedRetryAfter(_ requested: Duration) -> Duration {
        min(max(requested, .zero), retryAfterCap)
    }
}
