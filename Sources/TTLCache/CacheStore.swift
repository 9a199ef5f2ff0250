/// What function handlers need from a cache, so they can run on the in-memory cache (FastCGI)
/// or the file cache (CGI) alike.
public protocol CacheStore: Sendable {
    /// Returns the value for `key`: fresh from the cache; or, inside the policy's
    /// stale-while-revalidate window, the expired value at once while one refresh runs; or loaded
    /// by `load` (once for all concurrent callers); or — when `load` fails — an expired value
    /// still inside the policy's stale-if-error window. Otherwise rethrows the load error.
    ///
    /// `cost` estimates a value's size in bytes for the byte bound.
    func fetch<Value: Codable & Sendable>(
        _ key: String,
        policy: CachePolicy,
        cost: @escaping @Sendable (Value) -> Int,
        load: @escaping @Sendable () async throws -> Value
    ) async throws -> Cached<Value>

    /// The stored value for `key` whatever its age (expired included), without loading and without
    /// counting a hit or a miss; `nil` when there is none. For answers that must not wait for a
    /// load (a bounded `/metrics` scrape serves the last known values instead).
    func peek<Value: Codable & Sendable>(_ key: String, as type: Value.Type) -> (value: Value, age: Duration)?

    /// Current counters.
    var statistics: CacheStatistics { get }

    /// Forgets one key.
    func remove(_ key: String)

    /// Forgets everything.
    func removeAll()

    /// Why this cache cannot keep what it loads, if it cannot (an unwritable cache directory):
    /// every answer is then an upstream call. Short, without paths or secrets, fit for a health
    /// answer and a response header; `nil` when the cache works.
    var problem: String? { get }
}

extension CacheStore {
    public var problem: String? { nil }
}
