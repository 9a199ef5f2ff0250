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
/// load for the others; when the last caller waiting for it is cancelled (its request passed its
/// deadline, its client left) the load is cancelled too, and the next caller starts a new one
/// instead of joining work nobody waits for. A background refresh (stale-while-revalidate) has no
/// callers of its own and is never cancelled by them.
///
/// A load's task is created by the caller that starts it and inherits that caller's task-local
/// values: a shared load (and a background refresh) logs under the request that started it — its
/// request id, its copy to nginx's error log — not under the requests that joined it.
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
                        let id = state.newFlightID()
                        state.inFlight[key] = Flight(
                            task: startLoad(key, id: id, policy: policy, cost: cost, load: load),
                            id: id,
                            waiters: 0,
                            background: true
                        )
                    }
                    return .revalidating(value, age: age)
                }
            }
            state.statistics.misses += 1
            if var flight = state.inFlight[key] {
                flight.waiters += 1
                state.inFlight[key] = flight
                return .wait(flight.task, id: flight.id)
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
            let id = state.newFlightID()
            let task = startLoad(key, id: id, policy: policy, cost: cost, load: load)
            state.inFlight[key] = Flight(task: task, id: id, waiters: 1, background: false)
            return .wait(task, id: id)
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
        case .wait(let task, let id):
            let result = try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                self.abandon(key, id: id)
            }
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

    /// A caller waiting for flight `id` of `key` was cancelled: the last one to go cancels the load.
    private func abandon(_ key: String, id: UInt64) {
        let orphan: Task<FlightResult, any Error>? = state.withLock { state in
            guard var flight = state.inFlight[key], flight.id == id else { return nil }
            flight.waiters -= 1
            guard flight.waiters <= 0, !flight.background else {
                state.inFlight[key] = flight
                return nil
            }
            state.inFlight[key] = nil
            state.statistics.abandonedLoads += 1
            return flight.task
        }
        orphan?.cancel()
    }

    /// The shared load of `key`, in its own task so that no caller's cancellation stops it.
    private func startLoad<Value: Sendable>(
        _ key: String,
        id: UInt64,
        policy: CachePolicy,
        cost: @escaping @Sendable (Value) -> Int,
        load: @escaping @Sendable () async throws -> Value
    ) -> Task<FlightResult, any Error> {
        Task {
            // Shared by every caller of the key: no caller's admission applies inside it.
            try await CacheLoadAdmission.$current.withValue(nil) {
                try await self.runLoad(key, id: id, policy: policy, cost: cost, load: load)
            }
        }
    }

    private func runLoad<Value: Sendable>(
        _ key: String,
        id: UInt64,
        policy: CachePolicy,
        cost: @Sendable (Value) -> Int,
        load: @Sendable () async throws -> Value
    ) async throws -> FlightResult {
        do {
            let value = try await load()
            let size = cost(value)
            let storedAt = clock.now()
            state.withLock { state in
                state.endFlight(key, id: id)
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
            let abandoned = Task.isCancelled
            let stale: FlightResult? = state.withLock { state in
                state.endFlight(key, id: id)
                // A load cancelled because nobody waits for it any more is counted as abandoned.
                if !abandoned { state.statistics.loadFailures += 1 }
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
        case wait(Task<FlightResult, any Error>, id: UInt64)
    }

    private struct FlightResult: Sendable {
        var value: any Sendable
        var storedAt: Int64
        /// Set when the load failed and this is the old value.
        var staleBecause: String?
    }

    private struct Flight {
        var task: Task<FlightResult, any Error>
        /// Tells this flight from a later one of the same key.
        var id: UInt64
        /// Callers waiting for it.
        var waiters: Int
        /// A stale-while-revalidate refresh: started for no caller, never cancelled by callers.
        var background: Bool
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
        var lastFlightID: UInt64 = 0
        var bytes = 0
        var statistics = CacheStatistics()

        mutating func newFlightID() -> UInt64 {
            lastFlightID &+= 1
            return lastFlightID
        }

        /// Forgets flight `id` of `key` unless a later flight has replaced it (after an abandon).
        mutating func endFlight(_ key: String, id: UInt64) {
            if inFlight[key]?.id == id { inFlight[key] = nil }
        }

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
