/// The JSON document a ``FileCache`` stores per key. The key is kept so that a hash collision
/// reads as a miss instead of another key's value.
struct FileCacheEntry<Value: Codable>: Codable {
    /// Format version, bumped if the layout changes (old files then read as misses).
    var version: Int
    var key: String
    /// Milliseconds since the Unix epoch when the value was loaded.
    var storedAt: Int64
    var value: Value

    static var currentVersion: Int { 1 }
}
