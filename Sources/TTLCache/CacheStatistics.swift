/// Counters of a cache, for `/metrics`. Counts are since the cache was created.
///
/// Every request is counted once as a hit, a miss or a revalidating serve.
public struct CacheStatistics: Sendable, Hashable {
    /// Requests served fresh from the cache.
    public var hits: Int = 0
    /// Requests not served fresh (they loaded or waited for a concurrent load).
    public var misses: Int = 0
    /// Requests answered at once with an expired value inside the stale-while-revalidate window.
    public var revalidatingServes: Int = 0
    /// Loads actually started (≤ misses + revalidations thanks to single-flight).
    public var loads: Int = 0
    /// Loads started to refresh a value inside its stale-while-revalidate window (part of
    /// ``loads``): in the background for ``MemoryCache``, by the one waiting caller for ``FileCache``.
    public var revalidations: Int = 0
    /// Loads that failed.
    public var loadFailures: Int = 0
    /// Loads cancelled because every caller waiting for them was cancelled first (``MemoryCache``).
    public var abandonedLoads: Int = 0
    /// Requests answered with a stale value because the load failed.
    public var staleServes: Int = 0
    /// Entries removed to stay within the byte bound.
    public var evictions: Int = 0
    /// Loads running right now.
    public var loadsInFlight: Int = 0
    /// Entries held.
    public var entries: Int = 0
    /// Sum of entry costs (bytes) held.
    public var bytes: Int = 0

    /// Zeroed statistics.
    public init() {}
}
