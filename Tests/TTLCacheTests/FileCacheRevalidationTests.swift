import Testing

@testable import TTLCache

/// FileCache has no background refresh (a CGI process is gone once it has answered): inside the
/// window, the caller that gets the lock refreshes while it waits, and callers that find the lock
/// taken get the old value at once.
@Suite("FileCache stale-while-revalidate")
struct FileCacheRevalidationTests {
    let policy = CachePolicy(ttl: .seconds(60), staleWhileRevalidate: .seconds(30))

    @Test("While one caller refreshes, the others get the old value at once; then the new one")
    func othersDoNotWait() async throws {
        let directory = TestDirectory()
        let clock = ManualCacheClock()
        let cache = try FileCache(directory: directory.path, clock: clock)
        _ = try await cache.fetch("k", policy: policy, cost: { _ in 0 }) { "v1" }
        clock.advance(by: .seconds(70))

        let gate = Gate()
        let refreshes = Counter()
        let load: @Sendable () async throws -> String = {
            refreshes.increment()
            await gate.wait()
            return "v2"
        }
        let refresher = Task { try await cache.fetch("k", policy: policy, cost: { _ in 0 }, load: load) }
        await eventually("the refresh starting") { refreshes.current == 1 }

        let others = try await finishes("16 fetches while the lock is held", onTimeout: gate.open) {
            try await withThrowingTaskGroup(of: Cached<String>.self) { group in
                for _ in 0..<16 {
                    group.addTask { try await cache.fetch("k", policy: policy, cost: { _ in 0 }, load: load) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(others.allSatisfy { $0.value == "v1" && $0.freshness == .revalidating && $0.age == .seconds(70) })

        gate.open()
        let refreshed = try await refresher.value
        #expect(refreshed.value == "v2" && refreshed.freshness == .miss)
        let next = try await FileCache(directory: directory.path, clock: clock).fetch(
            "k",
            policy: policy,
            cost: { _ in 0 },
            load: load
        )
        #expect(next.value == "v2" && next.freshness == .hit)
        #expect(refreshes.current == 1)
        let statistics = cache.statistics
        #expect(statistics.revalidatingServes == 16)
        #expect(statistics.revalidations == 1)
        #expect(statistics.loads == 2)
    }

    @Test("A failed refresh inside the window serves the old value, marked stale")
    func failedRefresh() async throws {
        let directory = TestDirectory()
        let clock = ManualCacheClock()
        let cache = try FileCache(directory: directory.path, clock: clock)
        _ = try await cache.fetch("k", policy: policy, cost: { _ in 0 }) { "v1" }
        let failing: @Sendable () async throws -> String = { throw TestError("HTTP 502") }

        clock.advance(by: .seconds(75))
        let served = try await cache.fetch("k", policy: policy, cost: { _ in 0 }, load: failing)
        #expect(served.value == "v1")
        #expect(served.freshness == .stale(loadError: "HTTP 502"))
        #expect(cache.statistics.revalidations == 1)

        clock.advance(by: .seconds(15))
        await #expect(throws: TestError.self) {
            try await cache.fetch("k", policy: policy, cost: { _ in 0 }, load: failing)
        }
    }

    @Test("Off by default: a caller finding the lock taken waits for the load")
    func offByDefault() async throws {
        let directory = TestDirectory()
        let clock = ManualCacheClock()
        let strict = CachePolicy(ttl: .seconds(60))
        let cache = try FileCache(directory: directory.path, clock: clock)
        _ = try await cache.fetch("k", policy: strict, cost: { _ in 0 }) { "v1" }
        clock.advance(by: .seconds(61))
        let gate = Gate()
        let loads = Counter()
        let load: @Sendable () async throws -> String = {
            loads.increment()
            await gate.wait()
            return "v2"
        }
        let first = Task { try await cache.fetch("k", policy: strict, cost: { _ in 0 }, load: load) }
        await eventually("the first load starting") { loads.current == 1 }
        let second = Task { try await cache.fetch("k", policy: strict, cost: { _ in 0 }, load: load) }
        try await Task.sleep(for: .milliseconds(30))
        gate.open()
        #expect(try await first.value.value == "v2")
        let waited = try await second.value
        #expect(waited.value == "v2" && waited.freshness == .miss)
        #expect(loads.current == 1)
        #expect(cache.statistics.revalidatingServes == 0)
    }
}
