import Testing
import TTLCache

@Suite("CacheStore: both caches behave the same through the protocol")
struct CacheStoreTests {
    struct Summary: Codable, Sendable, Equatable {
        var availability: Double
        var regions: [String]
    }

    /// What a function handler does: fetch through `any CacheStore`.
    func exercise(_ store: any CacheStore, clock: ManualCacheClock) async throws {
        let policy = CachePolicy(ttl: .seconds(30), staleIfError: .seconds(60))
        let expected = Summary(availability: 99.9, regions: ["eu", "us"])
        let miss = try await store.fetch("sla:41", policy: policy, cost: { _ in 64 }) { expected }
        #expect(miss.freshness == .miss && miss.value == expected)
        let hit = try await store.fetch("sla:41", policy: policy, cost: { _ in 64 }) {
            Summary(availability: 0, regions: [])
        }
        #expect(hit.freshness == .hit && hit.value == expected)
        clock.advance(by: .seconds(45))
        let stale = try await store.fetch("sla:41", policy: policy, cost: { (_: Summary) in 64 }) { throw TestError() }
        #expect(stale.freshness.label == "stale" && stale.value == expected)
        #expect(store.statistics.hits == 1)
        #expect(store.statistics.staleServes == 1)
        store.removeAll()
        #expect(store.statistics.entries == 0)
    }

    @Test("MemoryCache through CacheStore")
    func memory() async throws {
        let clock = ManualCacheClock()
        try await exercise(MemoryCache(maxBytes: 1024, clock: clock), clock: clock)
    }

    @Test("FileCache through CacheStore")
    func file() async throws {
        let directory = TestDirectory()
        let clock = ManualCacheClock()
        try await exercise(try FileCache(directory: directory.path, clock: clock), clock: clock)
    }
}
