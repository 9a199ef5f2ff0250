import OpenTSDB
import Sandbox
import TestSupport
import Testing

@testable import Push

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Checkpoint: per-series last delivered time, saved atomically")
struct CheckpointTests {
    let dns = DataPoint(
        metric: "catchpoint.testdata.DNS.ms",
        timestamp: 100,
        value: 1,
        tags: ["TestId": "1", "NodeId": "2"]
    )

    @Test("a point is new only after its series' checkpoint; checkpoints only move forward")
    func newness() {
        var checkpoint = Checkpoint()
        #expect(checkpoint.isNew(dns))
        checkpoint.advance(past: [dns])
        #expect(!checkpoint.isNew(dns))
        var later = dns
        later.timestamp = 101
        #expect(checkpoint.isNew(later))
        var earlier = dns
        earlier.timestamp = 99
        checkpoint.advance(past: [earlier])
        #expect(checkpoint[dns.series] == 100_000)
        var otherNode = dns
        otherNode.tags["NodeId"] = "3"
        #expect(checkpoint.isNew(otherNode), "another tag set is another series")
        var milliseconds = dns
        milliseconds.precision = .milliseconds
        milliseconds.timestamp = 100_001
        #expect(checkpoint.isNew(milliseconds), "compared in milliseconds whatever the precision")
    }

    @Test("series keys are canonical: tag order does not matter")
    func seriesKeys() {
        let a = SeriesKey(metric: "m", tags: ["b": "2", "a": "1"])
        let b = SeriesKey(metric: "m", tags: ["a": "1", "b": "2"])
        #expect(a == b)
        #expect(a.rawValue == "m{a=1,b=2}")
    }

    @Test("save then load gives the same checkpoint; no temporary file is left; missing file is empty")
    func roundTrip() async throws {
        try await withTemporaryDirectory { directory in
            let file = CheckpointFile(path: directory.file("checkpoint.json"))
            #expect(try file.load() == Checkpoint())
            var checkpoint = Checkpoint()
            checkpoint.advance(past: TestPoints.series(5) + [dns])
            try file.save(checkpoint, now: 42)
            #expect(try file.load() == checkpoint)
            #expect(access(directory.file("checkpoint.json.tmp"), F_OK) != 0)
            let json = try JSONParser.parse(try readAll(directory.file("checkpoint.json")))
            #expect(json["version"] == .int(1) && json["updated_at_ms"] == .int(42))
            #expect(json["series"]?["sys.cpu.nice{host=web01}"] == .int(1_700_000_004_000))
            #expect(json["series"]?.objectValue?.count == 2)
        }
    }

    @Test("an unreadable checkpoint is an error, never a silent fresh start")
    func corruptFile() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("checkpoint.json")
            for content in ["{not json", #"{"version":9,"series":{}}"#] {
                try writeAll(path, Array(content.utf8))
                #expect(throws: CheckpointError.self) { try CheckpointFile(path: path).load() }
            }
        }
    }

    @Test("pruning drops series last seen before the cutoff")
    func prune() {
        var checkpoint = Checkpoint()
        checkpoint.advance(
            past: TestPoints.series(1, metric: "old", start: 1000) + TestPoints.series(1, metric: "new", start: 5000)
        )
        #expect(checkpoint.prune(before: 2_000_000) == 1)
        #expect(checkpoint.series.keys.map(\.rawValue) == ["new{host=web01}"])
    }

    @Test("only one run holds the lock; it is released when the holder goes away")
    func runLock() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("checkpoint.json.lock")
            var first: RunLock? = try RunLock(path: path)
            #expect(throws: RunLockError.held(path: path)) { try RunLock(path: path) }
            withExtendedLifetime(first) {}
            first = nil
            _ = try RunLock(path: path)
        }
    }
}

func readAll(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw TemporaryDirectoryError(errno: errno) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count <= 0 { return bytes }
        bytes += buffer[0..<count]
    }
}

func writeAll(_ path: String, _ bytes: [UInt8]) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw TemporaryDirectoryError(errno: errno) }
    defer { close(fd) }
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}
