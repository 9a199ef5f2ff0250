#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Synchronization

/// The TTL cache for CGI mode, where every request is a new process: entries are JSON files in a
/// directory, so a later process (or a concurrent one) finds them.
///
/// - Names: `<FNV-1a 64 of key>.json`, holding the key, the load time and the value.
/// - Writes go to a temporary file in the same directory and are `rename`d into place, so a
///   reader sees a whole old entry or a whole new one. A file that does not decode (foreign,
///   truncated by a full disk, other type) counts as a miss.
/// - Expiry compares the stored load time with the clock; stale-if-error as in ``MemoryCache``.
/// - Single-flight across processes: a miss takes an `flock` on `<hash>.lock`, re-reads (another
///   process may just have loaded it) and only then loads. Waiting is bounded by `lockTimeout`,
///   after which the caller loads anyway.
/// - Optional `maxBytes`: after a write, the oldest files are removed until the directory's
///   entries fit.
/// - Stale-while-revalidate without a background refresh: a CGI process exits once it has
///   answered, so nothing could finish a refresh started after the answer. Inside the policy's
///   window, the caller that gets the key's lock refreshes synchronously (it pays the upstream's
///   latency, as on a plain miss; a failure serves the old value, marked stale). Every caller
///   that finds the lock taken — a refresh is running, in this or another process — is
///   answered at once with the old value (``CacheFreshness/revalidating``) instead of waiting
///   for the lock. So one request per key pays for a slow upstream, not all of them.
public final class FileCache: CacheStore, Sendable {
    /// The cache directory.
    public let directory: String
    /// Bound on the total size of entry files, if any.
    public let maxBytes: Int?
    /// How long a miss waits for another process's load of the same key.
    public let lockTimeout: Duration
    /// Entry files larger than this are ignored (and not written).
    public let maxEntryBytes: Int
    private let clock: any CacheClock
    private let counters = Mutex(CacheStatistics())

    /// A cache in `directory` (created with mode 0700 if missing).
    public init(
        directory: String,
        maxBytes: Int? = nil,
        lockTimeout: Duration = .seconds(5),
        maxEntryBytes: Int = 64 << 20,
        clock: any CacheClock = SystemCacheClock()
    ) throws {
        var directory = directory
        while directory.count > 1, directory.hasSuffix("/") {
            directory.removeLast()
        }
        try POSIXFiles.makeDirectories(directory)
        self.directory = directory
        self.maxBytes = maxBytes
        self.lockTimeout = lockTimeout
        self.maxEntryBytes = maxEntryBytes
        self.clock = clock
    }

    public func fetch<Value: Codable & Sendable>(
        _ key: String,
        policy: CachePolicy,
        cost: @escaping @Sendable (Value) -> Int,
        load: @escaping @Sendable () async throws -> Value
    ) async throws -> Cached<Value> {
        let name = FNV1a.hex64(key)
        var lock: FileLock?
        var isRevalidation = false
        if let entry = readEntry(key, name: name, as: Value.self) {
            let age = max(0, clock.now() - entry.storedAt)
            if age < policy.ttlMilliseconds {
                counters.withLock { $0.hits += 1 }
                return Cached(value: entry.value, freshness: .hit, age: .milliseconds(age))
            }
            if policy.isRevalidatable(age: age) {
                switch FileLock.tryAcquire(path: lockPath(name)) {
                case .acquired(let taken):
                    lock = taken
                    isRevalidation = true
                case .busy:
                    // A refresh is running elsewhere; do not wait for it.
                    counters.withLock { $0.revalidatingServes += 1 }
                    return Cached(value: entry.value, freshness: .revalidating, age: .milliseconds(age))
                case .unavailable:
                    break  // No lock to coordinate with: load like a plain miss.
                }
            }
        }
        counters.withLock { $0.misses += 1 }

        if lock == nil {
            lock = await FileLock.acquire(path: lockPath(name), timeout: lockTimeout)
        }
        if lock != nil, let hit = freshEntry(key, name: name, as: Value.self, policy: policy, countHit: false) {
            // Another process loaded it while this one waited: no second upstream call.
            lock?.release()
            return Cached(value: hit.value, freshness: .miss, age: hit.age)
        }
        counters.withLock {
            $0.loads += 1
            $0.loadsInFlight += 1
            if isRevalidation { $0.revalidations += 1 }
        }
        defer { counters.withLock { $0.loadsInFlight -= 1 } }
        do {
            let value = try await load()
            store(key, value: value)
            lock?.release()
            return Cached(value: value, freshness: .miss, age: .zero)
        } catch {
            lock?.release()
            counters.withLock { $0.loadFailures += 1 }
            let now = clock.now()
            if let entry = readEntry(key, name: name, as: Value.self),
                case let age = max(0, now - entry.storedAt),
                age < policy.staleLimitMilliseconds || policy.isRevalidatable(age: age)
            {
                counters.withLock { $0.staleServes += 1 }
                return Cached(
                    value: entry.value,
                    freshness: .stale(loadError: String(describing: error)),
                    age: .milliseconds(max(0, now - entry.storedAt))
                )
            }
            throw error
        }
    }

    /// The stored value for `key` whatever its age, without loading; `nil` if absent or unreadable.
    public func peek<Value: Codable & Sendable>(_ key: String, as type: Value.Type = Value.self) -> (
        value: Value, age: Duration
    )? {
        guard let entry = readEntry(key, name: FNV1a.hex64(key), as: Value.self) else { return nil }
        return (entry.value, .milliseconds(max(0, clock.now() - entry.storedAt)))
    }

    /// Counters of this instance, plus entry count and bytes found in the directory now.
    public var statistics: CacheStatistics {
        var statistics = counters.withLock { $0 }
        let files = POSIXFiles.listFiles(directory).filter { $0.name.hasSuffix(".json") && !$0.name.hasPrefix(".") }
        statistics.entries = files.count
        statistics.bytes = files.reduce(0) { $0 + $1.size }
        return statistics
    }

    public func remove(_ key: String) {
        POSIXFiles.remove(entryPath(FNV1a.hex64(key)))
    }

    public func removeAll() {
        for file in POSIXFiles.listFiles(directory)
        where file.name.hasSuffix(".json") || (file.name.hasPrefix(".") && file.name.hasSuffix(".tmp")) {
            POSIXFiles.remove("\(directory)/\(file.name)")
        }
    }

    // MARK: - Entries

    private func entryPath(_ name: String) -> String { "\(directory)/\(name).json" }
    private func lockPath(_ name: String) -> String { "\(directory)/\(name).lock" }

    private func freshEntry<Value: Codable & Sendable>(
        _ key: String,
        name: String,
        as type: Value.Type,
        policy: CachePolicy,
        countHit: Bool = true
    ) -> Cached<Value>? {
        guard let entry = readEntry(key, name: name, as: Value.self) else { return nil }
        let age = max(0, clock.now() - entry.storedAt)
        guard age < policy.ttlMilliseconds else { return nil }
        if countHit {
            counters.withLock { $0.hits += 1 }
        }
        return Cached(value: entry.value, freshness: .hit, age: .milliseconds(age))
    }

    /// Reads and decodes an entry; anything unexpected is a miss.
    func readEntry<Value: Codable>(_ key: String, name: String, as type: Value.Type) -> FileCacheEntry<Value>? {
        guard let bytes = POSIXFiles.readFile(entryPath(name), limit: maxEntryBytes),
            let entry = try? JSONDecoder().decode(FileCacheEntry<Value>.self, from: Data(bytes)),
            entry.version == FileCacheEntry<Value>.currentVersion, entry.key == key
        else { return nil }
        return entry
    }

    /// Writes `value` as loaded now, without locking (tests use it to race writers).
    func store<Value: Codable>(_ key: String, value: Value) {
        let entry = FileCacheEntry(
            version: FileCacheEntry<Value>.currentVersion,
            key: key,
            storedAt: clock.now(),
            value: value
        )
        write(entry, name: FNV1a.hex64(key))
    }

    /// Best effort: a cache that can not write still answers, it just saves nothing.
    private func write<Value: Codable>(_ entry: FileCacheEntry<Value>, name: String) {
        guard let data = try? JSONEncoder().encode(entry), data.count <= maxEntryBytes else { return }
        do {
            try POSIXFiles.writeAtomically(Array(data), to: entryPath(name), directory: directory, tempPrefix: name)
        } catch {
            return
        }
        if let maxBytes {
            prune(toFit: maxBytes)
        }
    }

    /// Removes the oldest entry files until the rest fit in `maxBytes`, and temporary files
    /// left behind by crashed writers.
    private func prune(toFit maxBytes: Int) {
        let files = POSIXFiles.listFiles(directory)
        let tenMinutesAgo = (clock.now() - 600_000) * 1_000_000
        for file in files
        where file.name.hasPrefix(".") && file.name.hasSuffix(".tmp") && file.modifiedNanoseconds < tenMinutesAgo {
            POSIXFiles.remove("\(directory)/\(file.name)")
        }
        var entries = files.filter { $0.name.hasSuffix(".json") && !$0.name.hasPrefix(".") }
        var total = entries.reduce(0) { $0 + $1.size }
        guard total > maxBytes else { return }
        entries.sort { ($0.modifiedNanoseconds, $0.name) < ($1.modifiedNanoseconds, $1.name) }
        var evicted = 0
        for file in entries where total > maxBytes {
            POSIXFiles.remove("\(directory)/\(file.name)")
            // The lock file goes too, so pruned keys do not leave empty files behind.
            POSIXFiles.remove("\(directory)/\(file.name.dropLast(".json".count)).lock")
            total -= file.size
            evicted += 1
        }
        counters.withLock { $0.evictions += evicted }
    }
}
