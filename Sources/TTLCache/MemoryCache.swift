import Synchronization

/// The per-worker in-process TTL cache: single-flight loads, stale-while-revalidate,
/// stale-if-error, LRU eviction within a byte bound.
///
/// With a ``CachePolicy/staleWhileRevalidate`` window, an expired value inside it is returned at
/// once (``CacheFreshness/revalidating``) and one background refresh is started unless a load of
/// that key is already running; misses of the same key join that refresh (single-flight). A
/// failed refresh leaves the old value in place, to be served again while a window is open.
///
/// All state sits behind one `Mutex`; the lock is never held across an `await` or while running
/// caller code (`load` and `cost` run outside it). Each load runs in its own unstructured task
/// shared by every caller waiting for that key, so a caller that goes away does not cancel the
/// load for the others.
public final class MemoryCache: CacheStore, Sendable {
    /// The most bytes (sum of costs) held at any time after an insert.
    public let maxBytes: Int
    /// The most entries held.
    public let maxEntries: Int
    private let clock: any CacheClock
    private let state: Mutex<State>

    /// A cache bounded to `maxBytes` (sum of value costs) and `maxEntries` entries.
    public init(maxBytes: Int, maxEntries: Int = 100_000, clock: any CacheClock = SystemCacheClock()) {
        self.maxBytes = max(0, maxBytes)
        self.maxEntries = max(1, maxEntries)
        self.clock = clock
        self.state = Mutex(State())
    }

    public func fetch<Value: Codable & Sendable>(
        _ key: String,
        policy: CachePolicy,
        cost: @escaping @Sendable (Value) -> Int,
        load: @escaping @Sendable () async throws -> Value
    ) async throws -> Cached<Value> {
        try await fetchAny(key, policy: policy, cost: cost, load: load)
    }

    /// ``fetch(_:policy:cost:load:)`` for values that are not `Codable` (the memory cache does not
    /// need to serialise them).
    public func fetchAny<Value: Sendable>(
        _ key: String,
        policy: CachePolicy,
        cost: @escaping @Sendable (Value) -> Int,
        load: @escaping @Sendable () async throws -> Value
    ) async throws -> Cached<Value> {
        let now = clock.now()
        let decision: Decision<Value> = state.withLock { state in
            if let entry = state.entries[key], let value = entry.value as? Value {
                let age = max(0, now - entry.storedAt)
                if age < policy.ttlMilliseconds {
                    state.order.touch(key)
                    state.statistics.hits += 1
                    return .hit(value, age: age)
                }
                if policy.isRevalidatable(age: age) {
                    state.order.touch(key)
                    state.statistics.revalidatingServes += 1
                    if state.inFlight[key] == nil, CacheLoadAdmission.current?.admitLoad(key: key) ?? true {
                        // Nobody awaits this task; it stores the new value (or keeps the old one).
                        state.statistics.loads += 1
                        state.statistics.revalidations += 1
                        state.inFlight[key] = Flight(task: startLoad(key, policy: policy, cost: cost, load: load))
                    }
                    return .revalidating(value, age: age)
                }
            }
            state.statistics.misses += 1
            if let flight = state.inFlight[key] {
                return .wait(flight.task)
            }
            if let admission = CacheLoadAdmission.current, !admission.admitLoad(key: key) {
                // Refused (a request's upstream budget is spent): an expired value still inside
                // the stale-if-error window stands in, as if the load had failed.
                if let entry = state.entries[key], let value = entry.value as? Value,
                    case let age = max(0, now - entry.storedAt), age < policy.staleLimitMilliseconds
                {
                    state.statistics.staleServes += 1
                    return .stale(value, age: age, reason: LoadNotAdmitted(key: key).description)
                }
                return .refused
            }
            state.statistics.loads += 1
            let task = startLoad(key, policy: policy, cost: cost, load: load)
            state.inFlight[key] = Flight(task: task)
            return .wait(task)
        }

        switch decision {
        case .hit(let value, let age):
            return Cached(value: value, freshness: .hit, age: .milliseconds(age))
        case .revalidating(let value, let age):
            return Cached(value: value, freshness: .revalidating, age: .milliseconds(age))
        case .stale(let value, let age, let reason):
            return Cached(value: value, freshness: .stale(loadError: reason), age: .milliseconds(age))
        case .refused:
            throw LoadNotAdmitted(key: key)
        case .wait(let task):
            let result = try await task.value
            guard let value = result.value as? Value else {
                // The same key was used with another type concurrently; load for this caller alone.
                return Cached(value: try await load(), freshness: .miss, age: .zero)
            }
            guard let loadError = result.staleBecause else {
                return Cached(value: value, freshness: .miss, age: .zero)
            }
            state.withLock { $0.statistics.staleServes += 1 }
            let age = max(0, clock.now() - result.storedAt)
            return Cached(value: value, freshness: .stale(loadError: loadError), age: .milliseconds(age))
        }
    }

    /// The value for `key` whatever its age (expired values included), without loading.
    public func peek<Value: Sendable>(_ key: String, as type: Value.Type = Value.self) -> (value: Value, age: Duration)?
    {
        let now = clock.now()
        return state.withLock { state in
            guard let entry = state.entries[key], let value = entry.value as? Value else { return nil }
            return (value, .milliseconds(max(0, now - entry.storedAt)))
        }
    }

    /// Stores a value as if just loaded.
    public func insert<Value: Sendable>(_ key: String, value: Value, cost: Int) {
        let now = clock.now()
        state.withLock {
            $0.insert(key, value: value, storedAt: now, cost: cost, maxBytes: maxBytes, maxEntries: maxEntries)
        }
    }

    public var statistics: CacheStatistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.loadsInFlight = state.inFlight.count
            statistics.entries = state.entries.count
            statistics.bytes = state.bytes
            return statistics
        }
    }

    public func remove(_ key: String) {
        state.withLock { $0.remove(key) }
    }

    public func removeAll() {
        state.withLock { state in
            state.entries.removeAll()
            state.order.removeAll()
            state.bytes = 0
        }
    }

    // MARK: - Loading

    /// The shared load of `key`, in its own task so that no caller's cancellation stops it.
    private func startLoad<Value: Sendable>(
        _ key: String,
        policy: CachePolicy,
        cost: @escaping @Sendable (Value) -> Int,
        load: @escaping @Sendable () async throws -> Value
    ) -> Task<FlightResult, any Error> {
        Task {
            // Shared by every caller of the key: no caller's admission applies inside it.
            try await CacheLoadAdmission.$current.withValue(nil) {
                try await self.runLoad(key, policy: policy, cost: cost, load: load)
            }
        }
    }

    private func runLoad<Value: Sendable>(
        _ key: String,
        policy: CachePolicy,
        cost: @Sendable (Value) -> Int,
        load: @Sendable () async throws -> Value
    ) async throws -> FlightResult {
        do {
            let value = try await load()
            let size = cost(value)
            let storedAt = clock.now()
            state.withLock { state in
                state.inFlight[key] = nil
                state.insert(
                    key,
                    value: value,
                    storedAt: storedAt,
                    cost: size,
                    maxBytes: maxBytes,
                    maxEntries: maxEntries
                )
            }
            return FlightResult(value: value, storedAt: storedAt, staleBecause: nil)
        } catch {
            let now = clock.now()
            let description = String(describing: error)
            let stale: FlightResult? = state.withLock { state in
                state.inFlight[key] = nil
                state.statistics.loadFailures += 1
                guard let entry = state.entries[key], entry.value is Value else { return nil }
                let age = max(0, now - entry.storedAt)
                if age < policy.staleLimitMilliseconds {
                    return FlightResult(value: entry.value, storedAt: entry.storedAt, staleBecause: description)
                }
                if age >= policy.usefulLimitMilliseconds {
                    // Past any use for this policy; free the memory now rather than at eviction.
                    state.remove(key)
                }
                // Otherwise still inside the stale-while-revalidate window: kept for later callers.
                return nil
            }
            if let stale { return stale }
            throw error
        }
    }

    // MARK: - State

    private enum Decision<Value: Sendable> {
        case hit(Value, age: Int64)
        case revalidating(Value, age: Int64)
        case stale(Value, age: Int64, reason: String)
        case refused
        case wait(Task<FlightResult, any Error>)
    }

    private struct FlightResult: Sendable {
        var value: any Sendable
        var storedAt: Int64
        /// Set when the load failed and this is the old value.
        var staleBecause: String?
    }

    private struct Flight {
        var task: Task<FlightResult, any Error>
    }

    private struct Entry {
        var value: any Sendable
        var storedAt: Int64
        var cost: Int
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var order = LRUOrder()
        var inFlight: [String: Flight] = [:]
        var bytes = 0
        var statistics = CacheStatistics()

        mutating func remove(_ key: String) {
            guard let entry = entries.removeValue(forKey: key) else { return }
            order.remove(key)
            bytes -= entry.cost
        }

        /// Replaces the entry, then evicts least recently used ones until within bounds. A value
        /// costing more than the whole bound is not stored (and the outdated entry is dropped).
        mutating func insert(
            _ key: String,
            value: any Sendable,
            storedAt: Int64,
            cost: Int,
            maxBytes: Int,
            maxEntries: Int
        ) {
            remove(key)
            let cost = max(0, cost)
            guard cost <= maxBytes else { return }
            entries[key] = Entry(value: value, storedAt: storedAt, cost: cost)
            order.touch(key)
            bytes += cost
            while bytes > maxBytes || entries.count > maxEntries, let victim = order.leastRecent, victim != key {
                remove(victim)
                statistics.evictions += 1
            }
        }
    }
}
