#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The TTL cache for CGI mode, where every request is a new process: entries are JSON files in a
/// directory, so a later process (or a concurrent one) finds them.
///
/// - The directory: created with mode 0700 if missing; refused (``CacheDirectoryError``) if it is
///   a symbolic link, not owned by the effective user, writable by group or others, or reached
///   through a symbolic link another user could replace. On a shared host anyone can create
///   `/tmp/uptime-bridge-cache-UID` first; such a directory is never used. Every file inside is
///   opened through the directory's descriptor with `O_NOFOLLOW | O_CLOEXEC`, lock files included.
/// - Names: `<namespace tag>-<FNV-1a 64 of key>.entry`, holding the namespace's SHA-256, the key,
///   the load time and the value: a JSON document, or for values with a compact form
///   (``FileCacheCompactCodable``: a monitor's response times, read by most CGI requests) a binary
///   record starting with `\0UBC` and a format version. Files of older versions (and the `.json`
///   entries before 0.2) read as misses and are pruned. The namespace (for the bridge: the upstream's base URL and a
///   hash of its token) keeps configurations that share one directory and one user apart.
/// - Writes go to a temporary file in the same directory and are `rename`d into place, so a
///   reader sees a whole old entry or a whole new one. A file that does not decode (foreign,
///   truncated by a full disk, other type, other namespace) counts as a miss, and so does an
///   entry stored more than a minute in the future (it would otherwise be fresh forever).
/// - Expiry compares the stored load time with the clock; stale-if-error as in ``MemoryCache``.
/// - Single-flight across processes: a miss takes an `flock` on `<name>.lock`, re-reads (another
///   process may just have loaded it) and only then loads. Waiting is bounded by `lockTimeout`,
///   after which the caller loads anyway.
/// - Pruning after every write and failed load: lock files nobody holds that are older than a
///   minute, temporary files older than ten minutes, then the oldest entries until the
///   directory's files fit `maxBytes` (allocated blocks, not lengths) and `maxFiles`.
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
    /// Bound on the space the directory's files take (allocated blocks × 512), if any.
    public let maxBytes: Int?
    /// Bound on the number of files in the directory (entries, lock and temporary files), if any.
    public let maxFiles: Int?
    /// How long a miss waits for another process's load of the same key.
    public let lockTimeout: Duration
    /// Entry files larger than this are ignored (and not written).
    public let maxEntryBytes: Int
    /// SHA-256 of the namespace, stored in every entry and checked on read.
    let namespaceDigest: String
    /// The first 16 hex digits of ``namespaceDigest``: the file names' prefix.
    let namespaceTag: String
    /// The checked directory, for every `*at` call.
    private let directoryFD: Int32
    private let clock: any CacheClock
    private let counters = Mutex(CacheStatistics())
    /// Why the last entry could not be written (`nil` after a successful write).
    private let lastWriteFailure = Mutex<String?>(nil)

    /// Entries whose load time is further in the future than this are invalid.
    static let allowedClockSkewMilliseconds: Int64 = 60_000
    /// Lock files nobody holds are removed once they are this old.
    static let idleLockAgeNanoseconds: Int64 = 60_000_000_000
    /// Temporary files of crashed writers are removed once they are this old.
    static let orphanTempAgeNanoseconds: Int64 = 600_000_000_000

    /// A cache in `directory` (created with mode 0700 if missing; throws ``CacheDirectoryError``
    /// if it is unsafe to use), its entries kept apart from other namespaces' in the same directory.
    public init(
        directory: String,
        maxBytes: Int? = nil,
        maxFiles: Int? = nil,
        namespace: String = "",
        lockTimeout: Duration = .seconds(5),
        maxEntryBytes: Int = 64 << 20,
        clock: any CacheClock = SystemCacheClock()
    ) throws {
        var directory = directory
        while directory.count > 1, directory.hasSuffix("/") {
            directory.removeLast()
        }
        directoryFD = try POSIXFiles.openCacheDirectory(directory)
        self.directory = directory
        self.maxBytes = maxBytes
        self.maxFiles = maxFiles
        namespaceDigest = CacheDigest.sha256Hex(namespace)
        namespaceTag = String(namespaceDigest.prefix(16))
        self.lockTimeout = lockTimeout
        self.maxEntryBytes = maxEntryBytes
        self.clock = clock
    }

    deinit {
        close(directoryFD)
    }

    /// The base name of `key`'s files (`.entry`, `.lock`) in this namespace.
    func fileName(_ key: String) -> String {
        "\(namespaceTag)-\(FNV1a.hex64(key))"
    }

    /// The same without an instance (tests).
    static func fileName(_ key: String, namespace: String = "") -> String {
        "\(CacheDigest.sha256Hex(namespace).prefix(16))-\(FNV1a.hex64(key))"
    }

    public func fetch<Value: Codable & Sendable>(
        _ key: String,
        policy: CachePolicy,
        cost: @escaping @Sendable (Value) -> Int,
        load: @escaping @Sendable () async throws -> Value
    ) async throws -> Cached<Value> {
        let name = fileName(key)
        var lock: FileLock?
        var isRevalidation = false
        if let entry = readEntry(key, name: name, as: Value.self) {
            let age = max(0, clock.now() - entry.storedAt)
            if age < policy.ttlMilliseconds {
                counters.withLock { $0.hits += 1 }
                return Cached(value: entry.value, freshness: .hit, age: .milliseconds(age))
            }
            if policy.isRevalidatable(age: age) {
                switch FileLock.tryAcquire(name: lockName(name), in: directoryFD) {
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
            lock = await FileLock.acquire(name: lockName(name), in: directoryFD, timeout: lockTimeout)
        }
        if lock != nil, let hit = freshEntry(key, name: name, as: Value.self, policy: policy, countHit: false) {
            // Another process loaded it while this one waited: no second upstream call.
            lock?.release()
            return Cached(value: hit.value, freshness: .miss, age: hit.age)
        }
        if let admission = CacheLoadAdmission.current, !admission.admitLoad(key: key) {
            // Refused (a request's upstream budget is spent): an expired value still inside the
            // stale-if-error window stands in, as if the load had failed.
            lock?.release()
            let now = clock.now()
            if let entry = readEntry(key, name: name, as: Value.self),
                case let age = max(0, now - entry.storedAt), age < policy.staleLimitMilliseconds
            {
                counters.withLock { $0.staleServes += 1 }
                return Cached(
                    value: entry.value,
                    freshness: .stale(loadError: LoadNotAdmitted(key: key).description),
                    age: .milliseconds(age)
                )
            }
            throw LoadNotAdmitted(key: key)
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
            prune()
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
        guard let entry = readEntry(key, name: fileName(key), as: Value.self) else { return nil }
        return (entry.value, .milliseconds(max(0, clock.now() - entry.storedAt)))
    }

    /// Counters of this instance, plus the entry count and the space (allocated bytes) this
    /// namespace's entries take in the directory now.
    public var statistics: CacheStatistics {
        var statistics = counters.withLock { $0 }
        let files = POSIXFiles.listFiles(directoryFD).filter { !$0.isSymbolicLink && isEntry($0.name) }
        statistics.entries = files.count
        statistics.bytes = files.reduce(0) { $0 + $1.allocatedBytes }
        return statistics
    }

    public func remove(_ key: String) {
        POSIXFiles.remove(entryName(fileName(key)), in: directoryFD)
    }

    /// Removes this namespace's entries (and its writers' temporary files).
    public func removeAll() {
        for file in POSIXFiles.listFiles(directoryFD)
        where isEntry(file.name) || (file.name.hasPrefix(".\(namespaceTag)-") && file.name.hasSuffix(".tmp")) {
            POSIXFiles.remove(file.name, in: directoryFD)
        }
    }

    // MARK: - Entries

    private func entryName(_ name: String) -> String { "\(name).entry" }
    private func lockName(_ name: String) -> String { "\(name).lock" }
    /// An entry file of this namespace.
    private func isEntry(_ file: String) -> Bool { file.hasPrefix("\(namespaceTag)-") && file.hasSuffix(".entry") }

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

    /// Reads and decodes an entry; anything unexpected is a miss: another namespace's or key's
    /// entry, or one stored in the future (beyond clock skew), which would never expire.
    func readEntry<Value: Codable>(_ key: String, name: String, as type: Value.Type) -> FileCacheEntry<Value>? {
        guard let bytes = POSIXFiles.readFile(entryName(name), in: directoryFD, limit: maxEntryBytes),
            let entry = Self.decode(bytes, as: Value.self),
            entry.version == FileCacheEntry<Value>.currentVersion, entry.namespace == namespaceDigest,
            entry.key == key, entry.storedAt <= clock.now() + Self.allowedClockSkewMilliseconds
        else { return nil }
        return entry
    }

    /// Writes `value` as loaded now, without locking: last writer wins (atomic rename, so a reader
    /// sees one whole entry or the other). For state a one-shot process hands to the next (the
    /// Statuspage exporter's memory under CGI); tests use it to race writers.
    public func store<Value: Codable>(_ key: String, value: Value) {
        let entry = FileCacheEntry(
            version: FileCacheEntry<Value>.currentVersion,
            namespace: namespaceDigest,
            key: key,
            storedAt: clock.now(),
            value: value
        )
        write(entry, name: fileName(key))
    }

    /// A cache that cannot write still answers, it just saves nothing; ``problem`` then says so
    /// (the bridge logs it and marks its answers).
    func write<Value: Codable>(_ entry: FileCacheEntry<Value>, name: String) {
        guard let data = Self.encode(entry), data.count <= maxEntryBytes else { return }
        do {
            try POSIXFiles.writeAtomically(data, to: entryName(name), in: directoryFD, tempPrefix: name)
        } catch let failure as POSIXFiles.Failure {
            lastWriteFailure.withLock { $0 = "the cache could not store an entry (\(failure.reason))" }
            return
        } catch {
            lastWriteFailure.withLock { $0 = "the cache could not store an entry" }
            return
        }
        lastWriteFailure.withLock { $0 = nil }
        prune()
    }

    /// `nil` while entries can be written. Otherwise why not: the directory is not writable by this
    /// process (checked with the effective ids, one `faccessat` per call), or the last write failed
    /// (a full disk, a quota). The directory's path is left out: the text may reach a response.
    public var problem: String? {
        if faccessat(directoryFD, ".", W_OK | X_OK, Self.effectiveIDs) != 0, errno == EACCES || errno == EROFS {
            return "the cache directory is not writable by this process (uid \(geteuid())): nothing is cached, "
                + "every request goes upstream"
        }
        return lastWriteFailure.withLock { $0 }.map { $0 + ": nothing is cached, every request goes upstream" }
    }

    #if os(Linux)
        private static let effectiveIDs: Int32 = 0x200  // AT_EACCESS
    #else
        private static let effectiveIDs: Int32 = AT_EACCESS
    #endif

    /// `<namespace tag>-<key hash>.json`: an entry file of the versions before 0.2 (any namespace).
    /// Other files in the directory are left alone.
    static func isLegacyEntry(_ name: String) -> Bool {
        let utf8 = Array(name.utf8)
        guard utf8.count == 38, name.hasSuffix(".json"), utf8[16] == UInt8(ascii: "-") else { return false }
        func isHex(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (97...102).contains(byte) }
        return utf8[0..<16].allSatisfy(isHex) && utf8[17..<33].allSatisfy(isHex)
    }

    /// The compact record's first bytes; JSON never starts with a NUL.
    static let compactMagic: [UInt8] = [0, 0x55, 0x42, 0x43]  // "\0UBC"

    static func encode<Value: Codable>(_ entry: FileCacheEntry<Value>) -> [UInt8]? {
        guard let compact = entry.value as? any FileCacheCompactCodable else {
            return (try? JSONEncoder().encode(entry)).map { Array($0) }
        }
        var writer = CompactWriter(capacity: 4096)
        for byte in compactMagic { writer.byte(byte) }
        writer.count(entry.version)
        writer.string(entry.namespace)
        writer.string(entry.key)
        writer.int64(entry.storedAt)
        compact.writeCompact(to: &writer)
        return writer.bytes
    }

    static func decode<Value: Codable>(_ bytes: [UInt8], as type: Value.Type) -> FileCacheEntry<Value>? {
        guard let compactType = Value.self as? any FileCacheCompactCodable.Type else {
            return try? JSONDecoder().decode(FileCacheEntry<Value>.self, from: Data(bytes))
        }
        guard bytes.starts(with: compactMagic) else { return nil }
        var reader = CompactReader(bytes, offset: compactMagic.count)
        guard let version = reader.count(minimumItemBytes: 0), let namespace = reader.string(),
            let key = reader.string(), let storedAt = reader.int64(),
            let value = compactType.init(compact: &reader) as? Value, reader.remaining == 0
        else { return nil }
        return FileCacheEntry(version: version, namespace: namespace, key: key, storedAt: storedAt, value: value)
    }

    /// Removes what nobody needs — lock files no load holds that are older than a minute,
    /// temporary files of crashed writers, symbolic links where cache files belong — then the
    /// oldest entries (any namespace's: the bounds are the directory's) until the files fit
    /// `maxBytes` (allocated blocks) and `maxFiles`.
    func prune() {
        let now = POSIXFiles.wallClockNanoseconds()
        var kept: [POSIXFiles.DirectoryEntry] = []
        for file in POSIXFiles.listFiles(directoryFD) {
            let name = file.name
            let isTemp = name.hasPrefix(".") && name.hasSuffix(".tmp")
            let isLock = !name.hasPrefix(".") && name.hasSuffix(".lock")
            if file.isSymbolicLink {
                if isTemp || isLock || name.hasSuffix(".entry") || name.hasSuffix(".json") {
                    POSIXFiles.remove(name, in: directoryFD)
                }
                continue
            }
            // Entries of the versions before 0.2 (`<16 hex>-<16 hex>.json`): never read again.
            if Self.isLegacyEntry(name) {
                POSIXFiles.remove(name, in: directoryFD)
                continue
            }
            if isTemp, file.modifiedNanoseconds < now - Self.orphanTempAgeNanoseconds {
                POSIXFiles.remove(name, in: directoryFD)
                continue
            }
            if isLock, file.modifiedNanoseconds < now - Self.idleLockAgeNanoseconds,
                FileLock.removeIfIdle(name: name, in: directoryFD)
            {
                continue
            }
            kept.append(file)
        }
        var bytes = kept.reduce(0) { $0 + $1.allocatedBytes }
        var files = kept.count
        func overBound() -> Bool {
            if let maxBytes, bytes > maxBytes { return true }
            if let maxFiles, files > maxFiles { return true }
            return false
        }
        guard overBound() else { return }
        let locks = Set(kept.lazy.filter { $0.name.hasSuffix(".lock") }.map(\.name))
        let entries = kept.filter { !$0.name.hasPrefix(".") && $0.name.hasSuffix(".entry") }
            .sorted { ($0.modifiedNanoseconds, $0.name) < ($1.modifiedNanoseconds, $1.name) }
        var evicted = 0
        for file in entries {
            guard overBound() else { break }
            POSIXFiles.remove(file.name, in: directoryFD)
            bytes -= file.allocatedBytes
            files -= 1
            evicted += 1
            // Its lock file goes too, unless a load holds it right now.
            let lock = "\(file.name.dropLast(".entry".count)).lock"
            if locks.contains(lock), FileLock.removeIfIdle(name: lock, in: directoryFD) {
                files -= 1
            }
        }
        counters.withLock { $0.evictions += evicted }
    }
}
