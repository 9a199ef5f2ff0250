import Foundation
import Testing

@testable import TTLCache

/// A value with a compact form, as the bridge's response times have.
private struct Series: Codable, Sendable, Equatable, FileCacheCompactCodable {
    var name: String
    var points: [Int64]

    func writeCompact(to writer: inout CompactWriter) {
        writer.string(name)
        writer.count(points.count)
        for point in points { writer.int64(point) }
    }

    init(name: String, points: [Int64]) {
        self.name = name
        self.points = points
    }

    init?(compact reader: inout CompactReader) {
        guard let name = reader.string(), let count = reader.count(minimumItemBytes: 8) else { return nil }
        var points: [Int64] = []
        for _ in 0..<count {
            guard let point = reader.int64() else { return nil }
            points.append(point)
        }
        self.init(name: name, points: points)
    }
}

@Suite("FileCache: compact entries, write failures")
struct FileCacheCompactTests {
    let policy = CachePolicy(ttl: .seconds(60), staleIfError: .seconds(300))

    @Test("A value with a compact form is stored as a binary record and read back equal by the next process")
    func compactRoundTrip() async throws {
        let directory = TestDirectory()
        let clock = ManualCacheClock()
        let value = Series(name: "eu", points: Array(0..<1000).map { Int64($0) * 30_000 })
        let first = try await FileCache(directory: directory.path, clock: clock).fetch(
            "series", policy: policy, cost: { _ in 0 }, load: { value })
        #expect(first.freshness == .miss)
        let bytes = try #require(POSIXFiles.readFile("\(directory.path)/\(FileCache.fileName("series")).entry", limit: 1 << 20))
        #expect(Array(bytes.prefix(4)) == FileCache.compactMagic)
        // 1,000 points of 8 bytes plus the header: far below the JSON form.
        #expect(bytes.count < 8_200, "\(bytes.count) bytes")
        let second = try await FileCache(directory: directory.path, clock: clock).fetch(
            "series", policy: policy, cost: { _ in 0 }, load: { () async throws -> Series in Issue.record("loaded again"); return value })
        #expect(second.freshness == .hit && second.value == value)
    }

    @Test("A truncated or altered compact record is a miss (loaded again), never a crash")
    func damagedRecordsAreMisses() async throws {
        let directory = TestDirectory()
        let clock = ManualCacheClock()
        let value = Series(name: "us", points: [1, 2, 3])
        let cache = try FileCache(directory: directory.path, clock: clock)
        _ = try await cache.fetch("k", policy: policy, cost: { _ in 0 }, load: { value })
        let path = "\(directory.path)/\(FileCache.fileName("k")).entry"
        let good = try #require(POSIXFiles.readFile(path, limit: 1 << 20))
        var damaged: [[UInt8]] = (0..<good.count).map { Array(good.prefix($0)) }  // every truncation
        damaged.append(good + [0])  // trailing bytes
        var hugeCount = good
        hugeCount.replaceSubrange((good.count - 3 * 8 - 4)..<(good.count - 3 * 8), with: [0xFF, 0xFF, 0xFF, 0x7F])
        damaged.append(hugeCount)  // a count no file could hold: refused before any allocation
        for bytes in damaged {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let loads = Counter()
            let again = try await FileCache(directory: directory.path, clock: clock).fetch(
                "k", policy: policy, cost: { _ in 0 }, load: { () async throws -> Series in _ = loads.increment(); return value })
            #expect(again.value == value)
            #expect(loads.current == 1, "\(bytes.count) bytes read as a hit")
        }
    }

    @Test("Entries of the versions before (name.json) are removed, not left to fill the directory")
    func legacyJSONEntriesArePruned() async throws {
        let directory = TestDirectory()
        let legacy = "\(directory.path)/\(FileCache.fileName("old")).json"
        try Data("{}".utf8).write(to: URL(fileURLWithPath: legacy))
        let other = "\(directory.path)/notes.json"  // not an entry: left alone
        try Data("{}".utf8).write(to: URL(fileURLWithPath: other))
        let cache = try FileCache(directory: directory.path)
        _ = try await cache.fetch("new", policy: policy, cost: { _ in 0 }, load: { ["v"] })
        #expect(!FileManager.default.fileExists(atPath: legacy))
        #expect(FileManager.default.fileExists(atPath: other))
        #expect(FileManager.default.fileExists(atPath: "\(directory.path)/\(FileCache.fileName("new")).entry"))
    }

    @Test("A write that fails is the cache's problem (served anyway, said without the path) until one succeeds")
    func failedWriteIsAProblem() async throws {
        let directory = TestDirectory()
        let cache = try FileCache(directory: directory.path)
        #expect(cache.problem == nil)
        // A directory where the entry belongs: the rename fails, whoever runs the test (root too).
        let blocker = "\(directory.path)/\(FileCache.fileName("k")).entry"
        try FileManager.default.createDirectory(atPath: blocker + "/inside", withIntermediateDirectories: true)
        let answer = try await cache.fetch("k", policy: policy, cost: { _ in 0 }, load: { ["v"] })
        #expect(answer.value == ["v"] && answer.freshness == .miss)
        let problem = try #require(cache.problem)
        #expect(problem.hasPrefix("the cache could not store an entry ("), "\(problem)")
        #expect(problem.hasSuffix("nothing is cached, every request goes upstream"))
        #expect(!problem.contains(directory.path))
        try FileManager.default.removeItem(atPath: blocker)
        _ = try await cache.fetch("k", policy: policy, cost: { _ in 0 }, load: { ["v"] })
        #expect(cache.problem == nil)
    }
}
