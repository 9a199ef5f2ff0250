/// The JSON document a ``FileCache`` stores per key. The key and the namespace's digest are kept
/// so that a hash collision, or another configuration's entry, reads as a miss instead of the
/// wrong value.
struct FileCacheEntry<Value: Codable>: Codable {
    /// Format version, bumped if the layout changes (old files then read as misses).
    var version: Int
    /// SHA-256 (hex) of the cache's namespace.
    var namespace: String
    var key: String
    /// Milliseconds since the Unix epoch when the value was loaded.
    var storedAt: Int64
    var value: Value

    static var currentVersion: Int { 2 }
}
