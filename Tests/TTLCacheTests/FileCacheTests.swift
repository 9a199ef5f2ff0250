import Foundation
import Testing

@testable import TTLCache

@Suite("FileCache")
struct FileCacheTests {
    let policy = CachePolicy(ttl: .seconds(60), staleIfError: .seconds(300))

    @Test("Miss, hit from a new instance (as the next CGI process), reload after the TTL")
    func missHitExpire() async throws {
        let directory = TestDirectory()
        let clock = ManualCacheClock()
        let loads = Counter()
        let load: @Sendable () async throws -> [String] = { ["v\(loads.increment())"] }

        let first = try await FileCache(directory: directory.path, clock: clock).fetch(
            "monitors",
            policy: policy,
            cost: { _ in 0 },
            load: load
        )
        #expect(first.freshness == .miss && first.value == ["v1"])

        clock.advance(by: .seconds(30))
        let second = try await FileCache(directory: directory.path, clock: clock).fetch(
            "monitors",
            policy: policy,
            cost: { _ in 0 },
            load: load
        )
        #expect(second.freshness == .hit && second.value == ["v1"] && second.age == .seconds(30))

        clock.advance(by: .seconds(30))
        let third = try await FileCache(directory: directory.path, clock: clock).fetch(
            "monitors",
            policy: policy,
            cost: { _ in 0 },
            load: load
        )
        #expect(third.freshness == .miss && third.value == ["v2"])
        #expect(loads.current == 2)
    }

    @Test("Expired entry + failing load → stale within the window, error after it")
    func staleIfError() async throws {
        let directory = TestDirectory()
        let clock = ManualCacheClock()
        let cache = try FileCache(directory: directory.path, clock: clock)
        _ = try await cache.fetch("sla", policy: policy, cost: { _ in 0 }) { 99.5 }
        let failing: @Sendable () async throws -> Double = { throw TestError("HTTP 502") }

        clock.advance(by: .seconds(359))
        let stale = try await cache.fetch("sla", policy: policy, cost: { _ in 0 }, load: failing)
        #expect(stale.value == 99.5)
        #expect(stale.freshness == .stale(loadError: "HTTP 502"))
        #expect(stale.age == .seconds(359))

        clock.advance(by: .seconds(2))
        await #expect(throws: TestError.self) {
            try await cache.fetch("sla", policy: policy, cost: { _ in 0 }, load: failing)
        }
        #expect(cache.statistics.staleServes == 1)
        #expect(cache.statistics.loadFailures == 2)
    }

    @Test("A corrupt or foreign file counts as a miss and is replaced")
    func corruptFile() async throws {
        let directory = TestDirectory()
        let cache = try FileCache(directory: directory.path)
        let path = "\(directory.path)/\(cache.fileName("k")).entry"
        let namespace = CacheDigest.sha256Hex("")
        for garbage in [
            "{\"version\":2,\"namespace\":\"\(namespace)\",\"key\":\"k\",\"storedAt\":", "not json",
            #"{"version":2,"namespace":"\#(namespace)","key":"other","storedAt":0,"value":"x"}"#,
            #"{"version":1,"key":"k","storedAt":0,"value":"x"}"#,
        ] {
            try Data(garbage.utf8).write(to: URL(fileURLWithPath: path))
            let result = try await cache.fetch("k", policy: policy, cost: { _ in 0 }) { "fresh" }
            #expect(result.freshness == .miss && result.value == "fresh")
            let roundTrip = try await cache.fetch("k", policy: policy, cost: { _ in 0 }) { "unused" }
            #expect(roundTrip.freshness == .hit && roundTrip.value == "fresh")
            try FileManager.default.removeItem(atPath: path)
        }
    }

    @Test("A file of another value type reads as a miss")
    func typeChange() async throws {
        let directory = TestDirectory()
        let cache = try FileCache(directory: directory.path)
        _ = try await cache.fetch("k", policy: policy, cost: { _ in 0 }) { 42 }
        let text = try await cache.fetch("k", policy: policy, cost: { _ in 0 }) { "now a string" }
        #expect(text.freshness == .miss)
    }

    @Test("maxBytes prunes the oldest entry files, counting the blocks they take")
    func sizeBound() async throws {
        let directory = TestDirectory()
        // A 1 KB entry takes a whole block on disk (4 KiB on ext4): six of them fit 6 blocks,
        // where 6000 bytes of lengths would have let 24 KiB of blocks pass.
        var info = stat()
        stat(directory.path, &info)
        let block = Int(info.st_blksize)
        let cache = try FileCache(directory: directory.path, maxBytes: 6 * block)
        for index in 0..<12 {
            _ = try await cache.fetch("key-\(index)", policy: policy, cost: { _ in 0 }) {
                String(repeating: "x", count: 1000)
            }
            #expect(cache.statistics.bytes <= 6 * block)
        }
        #expect(cache.statistics.entries <= 6)
        #expect(cache.peek("key-11", as: String.self) != nil)
        #expect(cache.peek("key-0", as: String.self) == nil)
        #expect(cache.statistics.evictions > 0)
        // No temporary files left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasSuffix(".tmp")
        }
        #expect(leftovers.isEmpty)
    }

    @Test("Single-flight across cache instances on one directory: 32 concurrent misses, one load")
    func singleFlightAcrossInstances() async throws {
        let directory = TestDirectory()
        let caches = try (0..<4).map { _ in try FileCache(directory: directory.path) }
        let loads = Counter()
        let results = try await withThrowingTaskGroup(of: Cached<String>.self) { group in
            for index in 0..<32 {
                let cache = caches[index % caches.count]
                group.addTask {
                    try await cache.fetch("cold", policy: policy, cost: { _ in 0 }) {
                        let n = loads.increment()
                        try await Task.sleep(for: .milliseconds(300))
                        return "loaded-\(n)"
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(loads.current == 1)
        #expect(Set(results.map(\.value)) == ["loaded-1"])
    }

    @Test("If the lock is held too long, the caller loads anyway after the lock timeout")
    func lockTimeout() async throws {
        let directory = TestDirectory()
        let cache = try FileCache(directory: directory.path, lockTimeout: .milliseconds(150))
        let held = try #require(
            await FileLock.acquire(path: "\(directory.path)/\(cache.fileName("k")).lock", timeout: .seconds(1))
        )
        let started = ContinuousClock.now
        let result = try await cache.fetch("k", policy: policy, cost: { _ in 0 }) { "loaded" }
        let waited = ContinuousClock.now - started
        held.release()
        #expect(result.value == "loaded")
        #expect(waited >= .milliseconds(140))
        #expect(waited < .seconds(10))  // a hang check: the lock is held for the whole test
    }

    @Test("removeAll and remove delete entries")
    func removal() async throws {
        let directory = TestDirectory()
        let cache = try FileCache(directory: directory.path)
        _ = try await cache.fetch("a", policy: policy, cost: { _ in 0 }) { 1 }
        _ = try await cache.fetch("b", policy: policy, cost: { _ in 0 }) { 2 }
        cache.remove("a")
        #expect(cache.peek("a", as: Int.self) == nil)
        #expect(cache.statistics.entries == 1)
        cache.removeAll()
        #expect(cache.statistics.entries == 0)
    }

    @Test("The directory is created if missing")
    func createsDirectory() throws {
        let directory = TestDirectory()
        let nested = "\(directory.path)/a/b/c/"
        let cache = try FileCache(directory: nested)
        #expect(cache.directory == "\(directory.path)/a/b/c")
        var isDirectory: ObjCBool = false
        #expect(
            FileManager.default.fileExists(atPath: cache.directory, isDirectory: &isDirectory) && isDirectory.boolValue
        )
    }

    @Test("FNV-1a matches the reference vectors")
    func fnv() {
        #expect(FNV1a.hex64("") == "cbf29ce484222325")
        #expect(FNV1a.hex64("a") == "af63dc4c8601ec8c")
        #expect(FNV1a.hex64("foobar") == "85944171f73967e8")
    }
}
