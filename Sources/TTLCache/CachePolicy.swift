/// How long a cached value is good for.
///
/// A value younger than ``ttl`` is served without loading. After that it is reloaded, with two
/// optional ways to keep serving the old value:
///
/// - ``staleWhileRevalidate``: while the value is younger than `ttl + staleWhileRevalidate`, it
///   is served at once, marked ``CacheFreshness/revalidating``, and one refresh runs in the
///   background (``MemoryCache``; see ``FileCache`` for what CGI mode does). A slow upstream then
///   costs no caller its latency.
/// - ``staleIfError``: when a reload fails and the value is younger than `ttl + staleIfError`,
///   the old value is served, marked ``CacheFreshness/stale(loadError:)``, instead of the error.
///
/// Both windows start at the end of the TTL and are independent: a failed background refresh
/// keeps the old value, which is served again while either window is open.
public struct CachePolicy: Sendable, Hashable {
    /// How long a value is fresh.
    public var ttl: Duration
    /// How much longer an expired value may stand in for a failing load.
    public var staleIfError: Duration
    /// How much longer an expired value is served at once while a refresh runs; zero (the
    /// default) turns it off, so that an expired value always waits for its reload.
    public var staleWhileRevalidate: Duration

    /// A policy; no stale serving unless `staleIfError` or `staleWhileRevalidate` is given.
    public init(ttl: Duration, staleIfError: Duration = .zero, staleWhileRevalidate: Duration = .zero) {
        self.ttl = ttl
        self.staleIfError = staleIfError
        self.staleWhileRevalidate = staleWhileRevalidate
    }

    var ttlMilliseconds: Int64 { Self.milliseconds(ttl) }
    var staleLimitMilliseconds: Int64 { Self.milliseconds(ttl) &+ Self.milliseconds(staleIfError) }
    var revalidateLimitMilliseconds: Int64 {
        Self.milliseconds(ttl) &+ max(0, Self.milliseconds(staleWhileRevalidate))
    }
    /// Past this age an entry is of no use to this policy.
    var usefulLimitMilliseconds: Int64 { max(staleLimitMilliseconds, revalidateLimitMilliseconds) }

    /// Whether a value of this age is past its TTL but may be served while it is refreshed.
    func isRevalidatable(age: Int64) -> Bool {
        age >= ttlMilliseconds && age < revalidateLimitMilliseconds
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? Int64.min / 2 : Int64.max / 2 }
        return max(Int64.min / 2, min(Int64.max / 2, product &+ attoseconds / 1_000_000_000_000_000))
    }
}
