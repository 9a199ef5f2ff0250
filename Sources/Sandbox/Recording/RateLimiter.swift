/// The rate-limit mode and the per-second request counts of the Better Stack Uptime API routes
/// (`/api/v2/…`, `/api/v3/…`).
///
/// Better Stack documents no rate limit, but throttles: its Terraform provider (PR #167) keeps
/// about 8 requests per second by default because of it, and retries 429s. How upstream counts
/// is unknown; the sandbox uses the simplest rule that a pacing client must respect anyway:
/// within one wall-clock second (epoch second), the first `limit` requests pass and every further
/// one is answered 429 `Rate limited` (plain text, no `Retry-After`, like the provider's own test
/// fake). `limit` 0 turns the mode off; the counts are kept either way, so a test can assert that
/// a client never sent more than N requests in any second.
final class RateLimiter: Sendable {
    /// The largest limit accepted (a sanity bound for the CLI and the admin API).
    static let maximumLimit = 1_000_000

    /// How many seconds of history `GET /_sandbox/stats` lists.
    static let historySeconds: Int64 = 600

    private struct State {
        var limit: Int
        /// Ascending by second, at most the last ``historySeconds`` seconds.
        var seconds: [RequestSecond] = []
        /// Maxima of the seconds already dropped from `seconds`.
        var droppedMaxRequests = 0
        var droppedMaxAnswered = 0
        var totalLimited = 0
    }

    private let state: Locked<State>
    private let clock: @Sendable () -> Int64

    init(limit: Int, clock: @escaping @Sendable () -> Int64 = Timestamp.nowMilliseconds) {
        self.state = Locked(State(limit: max(0, limit)))
        self.clock = clock
    }

    /// Requests per second allowed; 0 means off.
    var limit: Int {
        get { state.withLock { $0.limit } }
        set { state.withLock { $0.limit = max(0, newValue) } }
    }

    /// Counts one arriving request in the current wall-clock second; `false` when it is over
    /// the limit (it is then counted as limited: the caller must answer it with ``response``).
    func admit() -> Bool {
        state.withLock { state in
            // Read the clock under the lock, so seconds are appended in order.
            let second = Self.floorDiv(clock(), 1000)
            let index = Self.slot(for: second, in: &state)
            state.seconds[index].requests += 1
            guard state.limit > 0, state.seconds[index].requests > state.limit else { return true }
            state.seconds[index].limited += 1
            state.totalLimited += 1
            return false
        }
    }

    /// The index of `second`'s entry, created if needed; drops entries older than the history.
    private static func slot(for second: Int64, in state: inout State) -> Int {
        if let last = state.seconds.last, last.second == second { return state.seconds.count - 1 }
        if let last = state.seconds.last, last.second > second {
            // The wall clock stepped back: find or insert the entry in order.
            if let found = state.seconds.lastIndex(where: { $0.second == second }) { return found }
            let position = state.seconds.firstIndex(where: { $0.second > second }) ?? state.seconds.count
            state.seconds.insert(RequestSecond(second: second, requests: 0, limited: 0), at: position)
            return position
        }
        state.seconds.append(RequestSecond(second: second, requests: 0, limited: 0))
        let oldest = second - historySeconds + 1
        var drop = 0
        while drop < state.seconds.count - 1, state.seconds[drop].second < oldest {
            state.droppedMaxRequests = max(state.droppedMaxRequests, state.seconds[drop].requests)
            state.droppedMaxAnswered = max(
                state.droppedMaxAnswered,
                state.seconds[drop].requests - state.seconds[drop].limited
            )
            drop += 1
        }
        if drop > 0 { state.seconds.removeFirst(drop) }
        return state.seconds.count - 1
    }

    /// Forgets the counts (not the limit).
    func reset() {
        state.withLock { state in
            state = State(limit: state.limit)
        }
    }

    /// What the stats report.
    var snapshot: RateStatistics {
        state.withLock { state in
            RateStatistics(
                limit: state.limit,
                maxRequests: state.seconds.reduce(state.droppedMaxRequests) { max($0, $1.requests) },
                maxAnswered: state.seconds.reduce(state.droppedMaxAnswered) { max($0, $1.requests - $1.limited) },
                limited: state.totalLimited,
                seconds: state.seconds
            )
        }
    }

    /// The answer to a request over the limit: what the vendor's own test fake sends (Go's
    /// `w.Write([]byte("Rate limited"))` after `WriteHeader(429)`, which Go labels
    /// `text/plain; charset=utf-8`). No `Retry-After`: upstream documents none.
    static var response: SandboxResponse {
        .text("Rate limited", status: 429)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}

/// The per-second view of the Better Stack API traffic, as `GET /_sandbox/stats` shows it under
/// `per_second`.
public struct RateStatistics: Sendable, Equatable {
    /// The rate limit in force (requests per second; 0 = off).
    public var limit: Int
    /// The most requests that arrived in one wall-clock second since the last reset.
    public var maxRequests: Int
    /// The most requests answered other than by the rate limit's 429 in one second since the last reset.
    public var maxAnswered: Int
    /// Requests answered 429 by the rate limit since the last reset.
    public var limited: Int
    /// The seconds with traffic among the last 600, oldest first.
    public var seconds: [RequestSecond]

    /// `{"limit": 8, "max_requests": 9, "max_answered": 8, "limited": 1, "seconds": [[1777713300, 9, 1]]}`.
    var json: JSON {
        .object([
            ("limit", .int(limit)),
            ("max_requests", .int(maxRequests)),
            ("max_answered", .int(maxAnswered)),
            ("limited", .int(limited)),
            (
                "seconds",
                .array(seconds.map { .array([.int(Int($0.second)), .int($0.requests), .int($0.limited)]) })
            ),
        ])
    }
}

/// One wall-clock second with Better Stack API traffic.
public struct RequestSecond: Sendable, Equatable {
    /// Epoch second.
    public var second: Int64
    /// Better Stack API requests that arrived in it.
    public var requests: Int
    /// How many of them were answered 429 by the rate limit.
    public var limited: Int
}
