/// How a value was obtained.
public enum CacheFreshness: Sendable, Hashable {
    /// Served from the cache, within its TTL.
    case hit
    /// Loaded just now (by this caller or by a concurrent one it waited for).
    case miss
    /// The load failed and an expired value within the stale-if-error window was served instead;
    /// carries the load error's description.
    case stale(loadError: String)
    /// Past its TTL but inside the policy's stale-while-revalidate window: served at once while
    /// a refresh (started by this or an earlier caller) runs.
    case revalidating

    /// A short label for metrics and `X-Cache`-style headers: `hit`, `miss`, `stale`, `revalidating`.
    public var label: String {
        switch self {
        case .hit: "hit"
        case .miss: "miss"
        case .stale: "stale"
        case .revalidating: "revalidating"
        }
    }
}

/// A value from a cache, with how fresh it is.
public struct Cached<Value: Sendable>: Sendable {
    /// The value.
    public var value: Value
    /// Hit, miss, stale or revalidating.
    public var freshness: CacheFreshness
    /// Time since the value was loaded (zero for a fresh load).
    public var age: Duration

    /// A cached value.
    public init(value: Value, freshness: CacheFreshness, age: Duration) {
        self.value = value
        self.freshness = freshness
        self.age = age
    }
}
