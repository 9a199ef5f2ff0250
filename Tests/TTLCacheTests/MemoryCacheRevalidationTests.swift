import Testing

@testable import TTLCache

@Suite("MemoryCache stale-while-revalidate")
struct MemoryCacheRevalidationTests {
    /// Fresh for 60 s, then served while revalidating until 90 s.
    let policy = CachePolicy(ttl: .seconds(60), staleWhileRevalidate: .seconds(30))

    /// A cache holding `"v1"` under `"k"`, stored at the clock's current time.
    func primed(_ clock: ManualCacheClock, policy: CachePolicy) async throws -> MemoryCache {
        let cache = MemoryCache(maxBytes: 1 << 20, clock: clock)
        let first = try await cache.fetch("k", policy: policy, cost: { _ in 8 }) { "v1" }
        #expect(first.freshness == .miss)
        return cache
    }

    @Test("An expired value inside the window is returned at once while its refresh is blocked")
    func returnsAtOnce() async throws {
        let clock = ManualCacheClock()
        let cache = try await primed(clock, policy: policy)
        clock.advance(by: .seconds(70))
        let gate = Gate()
        let refreshes = Counter()

        let served = try await finishes("a fetch inside the window", onTimeout: gate.open) {
            try await cache.fetch("k", policy: policy, cost: { _ in 8 }) {
                refreshes.increment()
                await gate.wait()
                return "v2"
            }
        }
        #expect(served.value == "v1")
        #expect(served.freshness == .revalidating)
        #expect(served.freshness.label == "revalidating")
        #expect(served.age == .seconds(70))
        await eventually("the background refresh starting") { refreshes.current == 1 }
        var statistics = cache.statistics
        #expect(statistics.loadsInFlight == 1)
        #expect(statistics.revalidatingServes == 1)
        #expect(statistics.revalidations == 1)
        #expect(statistics.loads == 2)
        #expect(statistics.misses == 1)  // the priming load only
        #expect(cache.peek("k", as: String.self)?.value == "v1")

        gate.open()
        await eventually("the refreshed value being stored") { cache.peek("k", as: String.self)?.value == "v2" }
        let next = try await cache.fetch("k", policy: policy, cost: { _ in 8 }) { "unused" }
        #expect(next.value == "v2")
        #expect(next.freshness == .hit)
        #expect(next.age == .zero)
        statistics = cache.statistics
        #expect(statistics.loadsInFlight == 0)
        #expect(statistics.hits == 1)
        #expect(refreshes.current == 1)
    }

    @Test("64 concurrent callers inside the window all get the old value; one refresh runs")
    func singleRefreshForManyCallers() async throws {
        let clock = ManualCacheClock()
        let cache = try await primed(clock, policy: policy)
        clock.advance(by: .seconds(61))
        let gate = Gate()
        let refreshes = Counter()
        let load: @Sendable () async throws -> String = {
            refreshes.increment()
            await gate.wait()
            return "v2"
        }

        let results = try await finishes("64 fetches inside the window", onTimeout: gate.open) {
            try await withThrowingTaskGroup(of: Cached<String>.self) { group in
                for _ in 0..<64 {
                    group.addTask { try await cache.fetch("k", policy: policy, cost: { _ in 8 }, load: load) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0.value == "v1" && $0.freshness == .revalidating })
        await eventually("the background refresh starting") { refreshes.current == 1 }
        #expect(cache.statistics.revalidatingServes == 64)
        #expect(cache.statistics.revalidations == 1)

        gate.open()
        await eventually("the refreshed value being stored") { cache.peek("k", as: String.self)?.value == "v2" }
        let next = try await cache.fetch("k", policy: policy, cost: { _ in 8 }, load: load)
        #expect(next.value == "v2" && next.freshness == .hit)
        #expect(refreshes.current == 1)
        let statistics = cache.statistics
        #expect(statistics.loads == 2)
        #expect(statistics.hits + statistics.misses + statistics.revalidatingServes == 66)
    }

    @Test("A miss while a background refresh runs joins it instead of loading again")
    func missJoinsRefresh() async throws {
        let clock = ManualCacheClock()
        let cache = try await primed(clock, policy: policy)
        clock.advance(by: .seconds(80))
        let gate = Gate()
        let refreshes = Counter()
        let load: @Sendable () async throws -> String = {
            let n = refreshes.increment()
            await gate.wait()
            return "v\(n + 1)"
        }
        let served = try await finishes("a fetch inside the window", onTimeout: gate.open) {
            try await cache.fetch("k", policy: policy, cost: { _ in 8 }, load: load)
        }
        #expect(served.freshness == .revalidating)

        // Past the window now: a plain miss, which must wait for the refresh already running.
        clock.advance(by: .seconds(20))
        let waiter = Task { try await cache.fetch("k", policy: policy, cost: { _ in 8 }, load: load) }
        await eventually("the miss being counted") { cache.statistics.misses == 2 }
        gate.open()
        let joined = try await waiter.value
        #expect(joined.value == "v2")
        #expect(joined.freshness == .miss)
        #expect(refreshes.current == 1)
        #expect(cache.statistics.loads == 2)
    }

    @Test("A failed refresh keeps the old value; after the window stale-if-error decides")
    func failedRefreshKeepsValue() async throws {
        let clock = ManualCacheClock()
        let policy = CachePolicy(ttl: .seconds(60), staleIfError: .seconds(120), staleWhileRevalidate: .seconds(30))
        let cache = try await primed(clock, policy: policy)
        let attempts = Counter()
        let failing: @Sendable () async throws -> String = {
            attempts.increment()
            throw TestError("HTTP 503")
        }

        clock.advance(by: .seconds(70))
        let first = try await cache.fetch("k", policy: policy, cost: { _ in 8 }, load: failing)
        #expect(first.value == "v1" && first.freshness == .revalidating)
        await eventually("the refresh failing") { cache.statistics.loadFailures == 1 }
        await eventually("the refresh finishing") { cache.statistics.loadsInFlight == 0 }
        #expect(cache.peek("k", as: String.self)?.value == "v1")

        // Still inside the window: served again, and another refresh is tried.
        let second = try await cache.fetch("k", policy: policy, cost: { _ in 8 }, load: failing)
        #expect(second.value == "v1" && second.freshness == .revalidating)
        await eventually("the second refresh failing") { cache.statistics.loadFailures == 2 }
        #expect(cache.statistics.revalidations == 2)

        // Past the window, inside stale-if-error: the caller waits for the load and gets the
        // old value marked stale.
        clock.advance(by: .seconds(40))
        let third = try await cache.fetch("k", policy: policy, cost: { _ in 8 }, load: failing)
        #expect(third.value == "v1")
        #expect(third.freshness == .stale(loadError: "HTTP 503"))
        #expect(third.age == .seconds(110))
        #expect(cache.statistics.staleServes == 1)

        // Past both windows: the error, and the entry is dropped.
        clock.advance(by: .seconds(80))
        await #expect(throws: TestError.self) {
            try await cache.fetch("k", policy: policy, cost: { _ in 8 }, load: failing)
        }
        #expect(cache.peek("k", as: String.self) == nil)
        #expect(attempts.current == 4)
    }

    @Test("Without stale-if-error, a failed refresh still keeps the value for the rest of the window")
    func failedRefreshWithoutStaleIfError() async throws {
        let clock = ManualCacheClock()
        let cache = try await primed(clock, policy: policy)
        let failing: @Sendable () async throws -> String = { throw TestError() }

        clock.advance(by: .seconds(65))
        let served = try await cache.fetch("k", policy: policy, cost: { _ in 8 }, load: failing)
        #expect(served.freshness == .revalidating)
        await eventually("the refresh finishing") {
            cache.statistics.loadFailures == 1 && cache.statistics.loadsInFlight == 0
        }
        #expect(cache.peek("k", as: String.self)?.value == "v1")

        // After the window the value is of no use any more: a failing load is the caller's error.
        clock.advance(by: .seconds(25))
        await #expect(throws: TestError.self) {
            try await cache.fetch("k", policy: policy, cost: { _ in 8 }, load: failing)
        }
        #expect(cache.peek("k", as: String.self) == nil)
    }

    @Test(
        "The window starts at the TTL and ends at ttl + staleWhileRevalidate",
        arguments: [
            (59, CacheFreshness.hit), (60, .revalidating), (89, .revalidating), (90, .miss),
        ]
    )
    func windowBounds(seconds: Int, expected: CacheFreshness) async throws {
        let clock = ManualCacheClock()
        let cache = try await primed(clock, policy: policy)
        clock.advance(by: .seconds(seconds))
        let result = try await cache.fetch("k", policy: policy, cost: { _ in 8 }) { "v2" }
        #expect(result.freshness == expected)
        #expect(result.value == (expected == .miss ? "v2" : "v1"))
    }

    @Test("Off by default: an expired value waits for its reload")
    func offByDefault() async throws {
        let strict = CachePolicy(ttl: .seconds(60), staleIfError: .seconds(300))
        #expect(strict.staleWhileRevalidate == .zero)
        let clock = ManualCacheClock()
        let cache = try await primed(clock, policy: strict)
        clock.advance(by: .seconds(61))
        let gate = Gate()
        let waiter = Task {
            try await cache.fetch("k", policy: strict, cost: { _ in 8 }) {
                await gate.wait()
                return "v2"
            }
        }
        await eventually("the load starting") { cache.statistics.loadsInFlight == 1 }
        try await Task.sleep(for: .milliseconds(20))
        #expect(cache.statistics.revalidatingServes == 0)
        gate.open()
        let result = try await waiter.value
        #expect(result.value == "v2" && result.freshness == .miss)
        #expect(cache.statistics.revalidations == 0)
    }
}
