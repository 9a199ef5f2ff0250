/// How often and how patiently a client asks an upstream again: one type for every upstream, each
/// client starting from its preset (``betterStack``, ``openTSDB``, ``catchpoint``,
/// ``statuspageExporter``). ``UpstreamPipeline`` applies it.
///
/// After a failed attempt, another one is made (while attempts are left) when the transport failed
/// in a way worth repeating, or the status is in ``retryStatuses`` (or in
/// ``retryStatusesWithRetryAfter`` and the answer says when). The wait is the answer's
/// `Retry-After` where honoured (``honoursRetryAfter``), capped by ``retryAfterCap``; otherwise the
/// ``backoff``.
public struct RetryPolicy: Sendable, Hashable {
    /// The wait before attempt `n + 1` when the answer does not say.
    public enum Backoff: Sendable, Hashable {
        /// `base × 2^(n-1)`, capped at `cap`; with `jitter`, a random part of it between half and
        /// all ("equal jitter"), so that workers hitting the same failure spread out.
        case exponential(base: Duration, cap: Duration, jitter: Bool)
        /// urllib3's `backoff_factor` (the Python clients the bridge replaces): no wait before the
        /// first retry, then `factor × 2^(n-1)` before retry `n`.
        case urllib3(factor: Duration)
    }

    /// Which answers' `Retry-After` sets the wait.
    public enum RetryAfterUse: Sendable, Hashable {
        /// Every retried answer's.
        case always
        /// Only these statuses' (Better Stack: 429; its 5xx are backed off).
        case only(Set<Int>)
    }

    /// Attempts in all, the first included (at least 1).
    public var maxAttempts: Int
    public var backoff: Backoff
    /// Statuses worth another attempt.
    public var retryStatuses: Set<Int>
    /// Statuses worth another attempt when the answer carries `Retry-After` (urllib3's
    /// `RETRY_AFTER_STATUS_CODES`).
    public var retryStatusesWithRetryAfter: Set<Int>
    public var honoursRetryAfter: RetryAfterUse
    /// The longest wait a `Retry-After` may ask for; a longer one is shortened to this.
    public var retryAfterCap: Duration
    /// Whether a transport failure of kind `.other` (the HTTP library's unclassified errors) is
    /// retried like a refused or reset connection (the Python `requests` clients do).
    public var retriesUnclassifiedFailures: Bool

    /// A policy; the presets below are the usual starting points.
    public init(
        maxAttempts: Int,
        backoff: Backoff,
        retryStatuses: Set<Int>,
        retryStatusesWithRetryAfter: Set<Int> = [],
        honoursRetryAfter: RetryAfterUse = .always,
        retryAfterCap: Duration,
        retriesUnclassifiedFailures: Bool = false
    ) {
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.retryStatuses = retryStatuses
        self.retryStatusesWithRetryAfter = retryStatusesWithRetryAfter
        self.honoursRetryAfter = honoursRetryAfter
        self.retryAfterCap = retryAfterCap
        self.retriesUnclassifiedFailures = retriesUnclassifiedFailures
    }

    static let serverErrors = Set(500...599)

    /// Better Stack's API: three attempts about 0.25 s and 0.5 s apart (8 s at most), 5xx and 429
    /// retried, a 429's `Retry-After` honoured up to 30 s.
    public static let betterStack = RetryPolicy(
        maxAttempts: 3,
        backoff: .exponential(base: .milliseconds(250), cap: .seconds(8), jitter: true),
        retryStatuses: serverErrors.union([429]),
        honoursRetryAfter: .only([429]),
        retryAfterCap: .seconds(30)
    )

    /// An OpenTSDB `/api/put` receiver: four attempts 0.5 s, 1 s, 2 s apart (8 s at most), 5xx,
    /// 408 and 429 retried, `Retry-After` honoured up to the same 8 s.
    public static let openTSDB = RetryPolicy(
        maxAttempts: 4,
        backoff: .exponential(base: .milliseconds(500), cap: .seconds(8), jitter: false),
        retryStatuses: serverErrors.union([408, 429]),
        retryAfterCap: .seconds(8)
    )

    /// Catchpoint's REST API: as ``openTSDB`` without 408.
    public static let catchpoint = RetryPolicy(
        maxAttempts: 4,
        backoff: .exponential(base: .milliseconds(500), cap: .seconds(8), jitter: false),
        retryStatuses: serverErrors.union([429]),
        retryAfterCap: .seconds(8)
    )

    /// statuspage-prometheus-exporter 2.6.0's `Retry(total=3, backoff_factor=0.5,
    /// status_forcelist=(500, 502, 503, 504))`: no wait, then 1 s, then 2 s; 413, 429 and 503 with
    /// `Retry-After` waited out (up to 15 s: urllib3 waits without bound, a scrape cannot).
    public static let statuspageExporter = RetryPolicy(
        maxAttempts: 4,
        backoff: .urllib3(factor: .milliseconds(500)),
        retryStatuses: [500, 502, 503, 504],
        retryStatusesWithRetryAfter: [413, 429, 503],
        retryAfterCap: .seconds(15),
        retriesUnclassifiedFailures: true
    )

    /// One attempt, whatever happens.
    public static let none = RetryPolicy(maxAttempts: 1, backoff: .urllib3(factor: .zero), retryStatuses: [], retryAfterCap: .zero)

    /// This policy with `attempts` attempts in all.
    public func with(maxAttempts attempts: Int) -> RetryPolicy {
        var copy = self
        copy.maxAttempts = attempts
        return copy
    }

    /// This policy backing off exponentially from `base` up to `cap` (its jitter kept).
    public func backingOff(base: Duration, cap: Duration) -> RetryPolicy {
        var copy = self
        if case .exponential(_, _, let jitter) = backoff {
            copy.backoff = .exponential(base: base, cap: cap, jitter: jitter)
        } else {
            copy.backoff = .exponential(base: base, cap: cap, jitter: false)
        }
        return copy
    }

    /// Whether a transport failure is worth another attempt.
    public func retries(_ failure: HTTPTransportError) -> Bool {
        if failure.isRetryable { return true }
        if case .other = failure { return retriesUnclassifiedFailures }
        return false
    }

    /// Whether an answer with `status` is worth another attempt.
    public func retries(status: Int, hasRetryAfter: Bool) -> Bool {
        retryStatuses.contains(status) || (hasRetryAfter && retryStatusesWithRetryAfter.contains(status))
    }

    /// The wait after failed attempt `attempt` (1-based), given the answer's status and
    /// `Retry-After` (if any); `unitRandom` in `0..<1` for the jitter.
    public func delay(afterAttempt attempt: Int, status: Int? = nil, retryAfter: Duration? = nil, unitRandom: Double = 1)
        -> Duration
    {
        if let retryAfter, let status, honours(status) {
            return min(max(retryAfter, .zero), retryAfterCap)
        }
        switch backoff {
        case .exponential(let base, let cap, let jitter):
            let exponent = min(max(attempt - 1, 0), 30)
            var wait = base * (1 << exponent)
            if wait > cap || wait < .zero { wait = cap }
            return jitter ? wait * (0.5 + 0.5 * min(max(unitRandom, 0), 1)) : wait
        case .urllib3(let factor):
            guard attempt > 1 else { return .zero }
            return factor * (1 << min(attempt - 1, 20))
        }
    }

    private func honours(_ status: Int) -> Bool {
        switch honoursRetryAfter {
        case .always: true
        case .only(let statuses): statuses.contains(status)
        }
    }
}
