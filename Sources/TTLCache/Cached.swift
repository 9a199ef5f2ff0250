/// How a value was obtained.
public enum CacheFreshness: Sendable, Hashable {
    /// Served from the cache, within its TTL.
    case hit
    /// Loaded just now (by this caller or by a concurrent one it waited for).
    case miss
    /// The load failed and an expired value within the stale-if-error window was served instead;
    /// carries the load error's description.
    case stale(loadError: String)

    /// A short label for metrics and `X-Cache`-style headers: `hit`, `miss`, `stale`.
    public var label: String {
        switch self {
        case .hit: "hit"
        case .miss: "miss"
        case .stale: "stale"
        }
    }
}

/// A value from a cache, with how fresh it is.
public struct Cached<Value: Sendable>: Sendable {
    /// The value.
    public var value: Value
    /// Hit, miss or stale.
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
