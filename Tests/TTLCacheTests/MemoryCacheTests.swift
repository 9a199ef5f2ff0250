@testable import TTLCache
import Testing

@Suite("MemoryCache")
struct MemoryCacheTests {
    let policy = CachePolicy(ttl: .seconds(60), staleIfError: .seconds(300))

    @Test("64 concurrent fetches of one cold key run exactly one load")
    func singleFlight() async throws {
        let cache = MemoryCache(maxBytes: 1 << 20)
        let loads = Counter()
        let values = try await withThrowingTaskGroup(of: Cached<String>.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    try await cache.fetch("monitors", policy: policy, cost: { $0.utf8.count }) {
                        let n = loads.increment()
                        try await Task.sleep(for: .milliseconds(100))
                        return "value-\(n)"
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(loads.current == 1)
        #expect(values.count == 64)
        #expect(Set(values.map(\.value)) == ["value-1"])
        let statistics = cache.statistics
        #expect(statistics.loads == 1)
        #expect(statistics.hits + statistics.misses == 64)
        #expect(statistics.loadsInFlight == 0)
        #expect(statistics.entries == 1)
    }

    @Test("A failing single-flight load fails every waiter, once")
    func singleFlightFailure() async throws {
        let cache = MemoryCache(maxBytes: 1 << 20)
        let loads = Counter()
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    do {
                        _ = try await cache.fetch("k", policy: policy, cost: { (_: Int) in 8 }) {
                            loads.increment()
                            try await Task.sleep(for: .milliseconds(50))
                            throw TestError()
                        }
                        return false
                    } catch {
                        return error is TestError
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 16)
        #expect(loads.current == 1)
        #expect(cache.statistics.loadFailures == 1)
    }

    @Test("Fresh hit within the TTL, reload after it")
    func ttl() async throws {
        let clock = ManualCacheClock()
        let cache = MemoryCache(maxBytes: 1 << 20, clock: clock)
        let loads = Counter()
        let load: @Sendable () async throws -> Int = { loads.increment() }
        let first = try await cache.fetch("k", policy: policy, cost: { _ in 8 }, load: load)
        #expect(first.freshness == .miss && first.value == 1 && first.age == .zero)
        clock.advance(by: .seconds(59))
        let second = try await cache.fetch("k", policy: policy, cost: { _ in 8 }, load: load)
        #expect(second.freshness == .hit && second.value == 1 && second.age == .seconds(59))
        clock.advance(by: .seconds(1))
        let third = try await cache.fetch("k", policy: policy, cost: { _ in 8 }, load: load)
        #expect(third.freshness == .miss && third.value == 2)
        #expect(cache.statistics.hits == 1)
        #expect(cache.statistics.misses == 2)
    }

    @Test("Expired entry + failing load → stale value within ttl+staleIfError, error after")
    func staleIfError() async throws {
        let clock = ManualCacheClock()
        let cache = MemoryCache(maxBytes: 1 << 20, clock: clock)
        _ = try await cache.fetch("sla", policy: policy, cost: { _ in 8 }) { 99.98 }
        let failing: @Sendable () async throws -> Double = { throw TestError("HTTP 503") }

        clock.advance(by: .seconds(60 + 299))
        let stale = try await cache.fetch("sla", policy: policy, cost: { _ in 8 }, load: failing)
        #expect(stale.value == 99.98)
        #expect(stale.freshness == .stale(loadError: "HTTP 503"))
        #expect(stale.age == .seconds(359))
        #expect(cache.statistics.staleServes == 1)

        clock.advance(by: .seconds(2))
        await #expect(throws: TestError.self) {
            try await cache.fetch("sla", policy: policy, cost: { _ in 8 }, load: failing)
        }
        // The useless entry is gone.
        #expect(cache.peek("sla", as: Double.self) == nil)
    }

    @Test("Without a stale window, a failing reload rethrows")
    func noStaleWindow() async throws {
        let clock = ManualCacheClock()
        let cache = MemoryCache(maxBytes: 1 << 20, clock: clock)
        let strict = CachePolicy(ttl: .seconds(10))
        _ = try await cache.fetch("k", policy: strict, cost: { _ in 1 }) { "v" }
        clock.advance(by: .seconds(10))
        await #expect(throws: TestError.self) {
            try await cache.fetch("k", policy: strict, cost: { (_: String) in 1 }) { throw TestError() }
        }
    }

    @Test("The byte bound holds after every operation under random churn")
    func byteBoundUnderChurn() async throws {
        let maxBytes = 10_000
        let cache = MemoryCache(maxBytes: maxBytes)
        var generator = SystemRandomNumberGenerator()
        var evictionsSeen = false
        for step in 0..<3000 {
            let key = "k\(Int.random(in: 0..<200, using: &generator))"
            let size = Int.random(in: 0...3000, using: &generator)
            let cached = try await cache.fetch(
                key,
                policy: CachePolicy(ttl: .milliseconds(Int64.random(in: 0...5, using: &generator))),
                cost: { $0.count }
            ) {
                [UInt8](repeating: UInt8(step % 256), count: size)
            }
            #expect(cached.value.count == size || cached.freshness == .hit)
            let statistics = cache.statistics
            #expect(statistics.bytes <= maxBytes, "step \(step): \(statistics.bytes) bytes")
            #expect(statistics.bytes >= 0)
            evictionsSeen = evictionsSeen || statistics.evictions > 0
        }
        #expect(evictionsSeen)
    }

    @Test("Concurrent churn from many tasks keeps the bound and the books consistent")
    func concurrentChurn() async throws {
        let maxBytes = 50_000
        let cache = MemoryCache(maxBytes: maxBytes)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for i in 0..<500 {
                        let key = "k\((worker * 7 + i * 13) % 97)"
                        let size = (worker * 1000 + i * 37) % 4000
                        _ = try await cache.fetch(key, policy: CachePolicy(ttl: .milliseconds(2)), cost: { $0.count }) {
                            [UInt8](repeating: 1, count: size)
                        }
                        #expect(cache.statistics.bytes <= maxBytes)
                    }
                }
            }
            try await group.waitForAll()
        }
        let statistics = cache.statistics
        #expect(statistics.bytes <= maxBytes)
        #expect(statistics.loadsInFlight == 0)
        #expect(statistics.hits + statistics.misses == 8 * 500)
    }

    @Test("A value larger than the whole bound is returned but not stored")
    func oversized() async throws {
        let cache = MemoryCache(maxBytes: 100)
        _ = try await cache.fetch("small", policy: policy, cost: { $0.count }) { [UInt8](repeating: 0, count: 50) }
        let big = try await cache.fetch("big", policy: policy, cost: { $0.count }) { [UInt8](repeating: 0, count: 101) }
        #expect(big.value.count == 101)
        #expect(cache.peek("big", as: [UInt8].self) == nil)
        #expect(cache.peek("small", as: [UInt8].self) != nil)
        #expect(cache.statistics.bytes == 50)
    }

    @Test("Eviction removes the least recently used entry first")
    func lruOrder() async throws {
        let cache = MemoryCache(maxBytes: 30)
        for key in ["a", "b", "c"] {
            _ = try await cache.fetch(key, policy: policy, cost: { _ in 10 }) { key }
        }
        _ = try await cache.fetch("a", policy: policy, cost: { _ in 10 }) { "reloaded" }  // touch a
        _ = try await cache.fetch("d", policy: policy, cost: { _ in 10 }) { "d" }
        #expect(cache.peek("b", as: String.self) == nil)
        #expect(cache.peek("a", as: String.self)?.value == "a")
        #expect(cache.peek("c", as: String.self) != nil)
        #expect(cache.statistics.evictions == 1)
    }

    @Test("remove and removeAll forget entries")
    func removal() async throws {
        let cache = MemoryCache(maxBytes: 1000)
        cache.insert("a", value: 1, cost: 10)
        cache.insert("b", value: 2, cost: 10)
        cache.remove("a")
        #expect(cache.peek("a", as: Int.self) == nil)
        #expect(cache.statistics.bytes == 10)
        cache.removeAll()
        #expect(cache.statistics.entries == 0)
        #expect(cache.statistics.bytes == 0)
    }

    @Test("A caller that is cancelled does not cancel the shared load for the others")
    func cancellationIsolation() async throws {
        let cache = MemoryCache(maxBytes: 1000)
        let loads = Counter()
        let load: @Sendable () async throws -> String = {
            loads.increment()
            try await Task.sleep(for: .milliseconds(100))
            return "done"
        }
        let first = Task { try await cache.fetch("k", policy: policy, cost: { _ in 1 }, load: load) }
        try await Task.sleep(for: .milliseconds(10))
        let second = Task { try await cache.fetch("k", policy: policy, cost: { _ in 1 }, load: load) }
        // Both callers wait for the same load (each counted a miss) before the first goes.
        while cache.statistics.misses < 2 { try await Task.sleep(for: .milliseconds(1)) }
        first.cancel()
        #expect(try await second.value.value == "done")
        #expect(loads.current == 1)
    }

    @Test("When every caller waiting for a load is cancelled, the load is cancelled; the next caller starts afresh")
    func abandonedLoadIsCancelled() async throws {
        let cache = MemoryCache(maxBytes: 1000)
        let loads = Counter()
        let cancelledLoads = Counter()
        let stalled: @Sendable () async throws -> String = {
            loads.increment()
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                cancelledLoads.increment()
                throw error
            }
            return "late"
        }
        let first = Task { try await cache.fetch("k", policy: policy, cost: { _ in 1 }, load: stalled) }
        try await Task.sleep(for: .milliseconds(10))
        let second = Task { try await cache.fetch("k", policy: policy, cost: { _ in 1 }, load: stalled) }
        while cache.statistics.misses < 2 { try await Task.sleep(for: .milliseconds(1)) }
        first.cancel()
        try await Task.sleep(for: .milliseconds(10))
        #expect(cancelledLoads.current == 0, "one caller still waits")
        second.cancel()
        await #expect(throws: CancellationError.self) { try await first.value }
        await #expect(throws: CancellationError.self) { try await second.value }
        #expect(cancelledLoads.current == 1)
        #expect(cache.statistics.abandonedLoads == 1 && cache.statistics.loadFailures == 0)
        #expect(cache.statistics.loadsInFlight == 0)

        // The next caller does not join the abandoned load: it loads again and gets its value.
        let fresh = try await cache.fetch("k", policy: policy, cost: { _ in 1 }) { "fresh" }
        #expect(fresh.value == "fresh" && fresh.freshness == .miss)
        #expect(loads.current == 1)
    }

    @Test("LRUOrder keeps recency in O(1) operations")
    func lruOrderStructure() {
        var order = LRUOrder()
        for key in ["a", "b", "c"] { order.touch(key) }
        #expect(order.keysMostRecentFirst == ["c", "b", "a"])
        order.touch("a")
        #expect(order.keysMostRecentFirst == ["a", "c", "b"])
        #expect(order.leastRecent == "b")
        order.remove("c")
        #expect(order.keysMostRecentFirst == ["a", "b"])
        order.remove("b")
        order.remove("a")
        #expect(order.leastRecent == nil && order.mostRecent == nil && order.count == 0)
    }
}
