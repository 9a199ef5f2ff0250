import Foundation
import Testing

@testable import TTLCache

/// Real processes racing on one cache directory. The test binary re-runs itself
/// (`/proc/self/exe --filter childProcessWorker`) with an environment variable telling the child
/// what to do; without that variable the child test is a no-op.
@Suite("FileCache across processes", .serialized)
struct FileCacheProcessTests {
    static let directoryVariable = "TTLCACHE_CHILD_DIR"
    static let roleVariable = "TTLCACHE_CHILD_ROLE"
    static let keys = (0..<4).map { "dashboard-key-\($0)" }

    /// A value large enough that writing it takes many `write` calls, with a checksum so that
    /// any mix of two versions is detected.
    struct Payload: Codable, Sendable {
        var key: String
        var writer: Int32
        var sequence: Int
        var blob: String
        var checksum: UInt64

        init(key: String, sequence: Int) {
            self.key = key
            writer = getpid()
            self.sequence = sequence
            let length = Int.random(in: 20_000...200_000)
            let letter = Character(UnicodeScalar(UInt8(ascii: "a") + UInt8(sequence % 26)))
            blob = String(repeating: letter, count: length)
            checksum = Payload.checksum(key: key, writer: writer, sequence: sequence, blob: blob)
        }

        static func checksum(key: String, writer: Int32, sequence: Int, blob: String) -> UInt64 {
            FNV1a.hash64("\(key)|\(writer)|\(sequence)|\(blob.count)|\(blob)")
        }

        var isIntact: Bool { checksum == Payload.checksum(key: key, writer: writer, sequence: sequence, blob: blob) }
    }

    enum Verdict: Equatable {
        case absent, valid, torn(String)
    }

    /// Reads the entry file raw, as a concurrent reader would, and judges it.
    static func inspect(directory: String, key: String) -> Verdict {
        guard let bytes = POSIXFiles.readFile("\(directory)/\(FileCache.fileName(key)).entry", limit: 64 << 20) else {
            return .absent
        }
        guard let entry = try? JSONDecoder().decode(FileCacheEntry<Payload>.self, from: Data(bytes)) else {
            return .torn("undecodable, \(bytes.count) bytes")
        }
        guard entry.key == key, entry.value.key == key, entry.value.isIntact else { return .torn("checksum mismatch") }
        return .valid
    }

    struct ChurnResult: Codable {
        var reads = 0
        var writes = 0
        var torn: [String] = []
    }

    /// Writers (through FileCache, both unlocked stores and locked fetches) and raw readers on
    /// the same directory for `duration`.
    static func churn(directory: String, duration: Duration) async throws -> ChurnResult {
        let cache = try FileCache(directory: directory)
        var result = ChurnResult()
        let deadline = ContinuousClock.now + duration
        // On a loaded machine, keep going until enough work was done (bounded, in case of a hang).
        let hardDeadline = ContinuousClock.now + duration * 8
        var sequence = 0
        while (ContinuousClock.now < deadline || result.reads < 30 || result.writes < 15),
            ContinuousClock.now < hardDeadline
        {
            let key = keys.randomElement()!
            switch Int.random(in: 0..<10) {
            case 0..<3:
                sequence += 1
                cache.store(key, value: Payload(key: key, sequence: sequence))
                result.writes += 1
            case 3:
                sequence += 1
                let next = sequence
                _ = try await cache.fetch(key, policy: CachePolicy(ttl: .zero), cost: { _ in 0 }) {
                    Payload(key: key, sequence: next)
                }
                result.writes += 1
            default:
                result.reads += 1
                if case .torn(let why) = inspect(directory: directory, key: key) {
                    result.torn.append(why)
                }
            }
        }
        return result
    }

    @Test("Child process body (does nothing unless spawned by the tests below)")
    func childProcessWorker() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let directory = environment[Self.directoryVariable], let role = environment[Self.roleVariable] else {
            return
        }
        let resultPath = "\(directory)/result-\(getpid()).json"
        switch role {
        case "churn":
            let result = try await Self.churn(directory: directory, duration: .milliseconds(1500))
            try JSONEncoder().encode(result).write(to: URL(fileURLWithPath: resultPath))
            #expect(result.torn.isEmpty)
        case "single-flight":
            let cache = try FileCache(directory: directory)
            let value = try await cache.fetch("cold", policy: CachePolicy(ttl: .seconds(60)), cost: { _ in 0 }) {
                let line = "\(getpid())\n"
                let fd = open("\(directory)/loads.log", O_WRONLY | O_CREAT | O_APPEND, 0o600)
                _ = line.withCString { write(fd, $0, strlen($0)) }
                close(fd)
                try await Task.sleep(for: .milliseconds(800))
                return "loaded by \(getpid())"
            }
            try Data(value.value.utf8).write(to: URL(fileURLWithPath: resultPath))
        default:
            Issue.record("unknown role \(role)")
        }
    }

    /// Starts `count` children of this test binary in `role`; returns their exit codes and logs.
    static func runChildren(_ count: Int, role: String, directory: String) async throws -> [(
        status: Int32, log: String
    )] {
        let executable =
            FileManager.default.fileExists(atPath: "/proc/self/exe") ? "/proc/self/exe" : CommandLine.arguments[0]
        var processes: [(Process, String)] = []
        for index in 0..<count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["--testing-library", "swift-testing", "--filter", "childProcessWorker"]
            var environment = ProcessInfo.processInfo.environment
            environment[directoryVariable] = directory
            environment[roleVariable] = role
            process.environment = environment
            let logPath = "\(directory)/child-\(index).log"
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            process.standardOutput = log
            process.standardError = log
            processes.append((process, logPath))
        }
        for (process, _) in processes {
            try process.run()
        }
        var results: [(Int32, String)] = []
        for (process, logPath) in processes {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    process.waitUntilExit()
                    continuation.resume()
                }
            }
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            results.append((process.terminationStatus, String(log.suffix(2000))))
        }
        return results
    }

    @Test("Two processes and this one race writers and readers; every read is a complete, valid entry")
    func noTornReadsAcrossProcesses() async throws {
        let directory = TestDirectory("ttlcache-procs")
        let seed = try FileCache(directory: directory.path)
        for key in Self.keys {
            seed.store(key, value: Payload(key: key, sequence: 0))
        }
        async let children = Self.runChildren(2, role: "churn", directory: directory.path)
        let local = try await Self.churn(directory: directory.path, duration: .milliseconds(1500))
        for child in try await children {
            #expect(child.status == 0, "child failed:\n\(child.log)")
        }
        #expect(local.torn.isEmpty, "torn reads in the parent: \(local.torn.prefix(5))")

        let resultFiles = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasPrefix("result-")
        }
        #expect(resultFiles.count == 2, "children did not report (filter matched nothing?)")
        for file in resultFiles {
            let result = try JSONDecoder().decode(
                ChurnResult.self,
                from: Data(contentsOf: URL(fileURLWithPath: "\(directory.path)/\(file)"))
            )
            #expect(result.torn.isEmpty, "\(file): \(result.torn.prefix(5))")
            #expect(result.reads >= 30, "\(file): only \(result.reads) reads")
            #expect(result.writes >= 15, "\(file): only \(result.writes) writes")
        }
        #expect(local.reads >= 30 && local.writes >= 15)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasSuffix(".tmp")
        }
        #expect(leftovers.isEmpty)
    }

    @Test("Three processes missing the same key cold: one upstream load (flock single-flight)")
    func singleFlightAcrossProcesses() async throws {
        let directory = TestDirectory("ttlcache-flight")
        let children = try await Self.runChildren(3, role: "single-flight", directory: directory.path)
        for child in children {
            #expect(child.status == 0, "child failed:\n\(child.log)")
        }
        let loads = (try? String(contentsOfFile: "\(directory.path)/loads.log", encoding: .utf8)) ?? ""
        #expect(loads.split(separator: "\n").count == 1, "loads: \(loads)")
        let values = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasPrefix("result-")
        }.map {
            try String(contentsOfFile: "\(directory.path)/\($0)", encoding: .utf8)
        }
        #expect(values.count == 3)
        #expect(Set(values).count == 1)
    }

    @Test("Control: the torn-read check does catch a writer that is not atomic")
    func checkerDetectsNaiveWriter() async throws {
        let directory = TestDirectory("ttlcache-control")
        let key = Self.keys[0]
        let path = "\(directory.path)/\(FileCache.fileName(key)).entry"
        let stop = Counter()
        let writer = Thread {
            var sequence = 0
            while stop.current == 0 {
                sequence += 1
                let entry = FileCacheEntry(
                    version: FileCacheEntry<Payload>.currentVersion,
                    namespace: CacheDigest.sha256Hex(""),
                    key: key,
                    storedAt: 0,
                    value: Payload(key: key, sequence: sequence)
                )
                let bytes = Array(try! JSONEncoder().encode(entry))
                // Truncate and write in place, in chunks: what FileCache must never do.
                let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                var offset = 0
                while offset < bytes.count {
                    let chunk = min(4096, bytes.count - offset)
                    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, chunk) }
                    offset += chunk
                    usleep(50)
                }
                close(fd)
            }
        }
        writer.start()
        var torn = 0
        let deadline = ContinuousClock.now + .milliseconds(500)
        while ContinuousClock.now < deadline {
            if case .torn = Self.inspect(directory: directory.path, key: key) { torn += 1 }
        }
        stop.increment()
        try await Task.sleep(for: .milliseconds(50))
        #expect(torn > 0)
    }
}
