/// How long a cached value is good for.
///
/// A value younger than ``ttl`` is served without loading. After that it is reloaded; if the
/// reload fails and the value is younger than `ttl + staleIfError`, the old value is served,
/// marked stale, instead of the error.
public struct CachePolicy: Sendable, Hashable {
    /// How long a value is fresh.
    public var ttl: Duration
    /// How much longer an expired value may stand in for a failing load.
    public var staleIfError: Duration

    /// A policy; no stale serving unless `staleIfError` is given.
    public init(ttl: Duration, staleIfError: Duration = .zero) {
        self.ttl = ttl
        self.staleIfError = staleIfError
    }

    var ttlMilliseconds: Int64 { Self.milliseconds(ttl) }
    var staleLimitMilliseconds: Int64 { Self.milliseconds(ttl) &+ Self.milliseconds(staleIfError) }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? Int64.min / 2 : Int64.max / 2 }
        return max(Int64.min / 2, min(Int64.max / 2, product &+ attoseconds / 1_000_000_000_000_000))
    }
}
