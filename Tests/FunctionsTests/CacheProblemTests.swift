import BetterStack
import FastCGIRuntime
import FastCGITesting
import Foundation
import Functions
import Logging
import TTLCache
import Testing

/// A cache that cannot keep anything (what an unwritable CGI cache directory is).
private struct BrokenCache: CacheStore {
    let inner = MemoryCache(maxBytes: 1 << 20)
    func fetch<Value: Codable & Sendable>(
        _ key: String,
        policy: CachePolicy,
        cost: @escaping @Sendable (Value) -> Int,
        load: @escaping @Sendable () async throws -> Value
    ) async throws -> Cached<Value> {
        try await inner.fetch(key, policy: policy, cost: cost, load: load)
    }
    func peek<Value: Codable & Sendable>(_ key: String, as type: Value.Type) -> (value: Value, age: Duration)? { nil }
    var statistics: CacheStatistics { inner.statistics }
    func remove(_ key: String) {}
    func removeAll() {}
    var problem: String? { "the cache directory is not writable by this process (uid 33): nothing is cached, every request goes upstream" }
}

@Suite("A cache that cannot keep anything is loud: health 503, a header on every answer")
struct CacheProblemTests {
    func driver(cache: any CacheStore) throws -> TestDriver<FunctionContext> {
        let settings = BridgeSettings(version: "9.9.9", debugRoutes: true)
        let client = BetterStackClient(
            configuration: try BetterStackConfiguration(baseURL: "http://127.0.0.1:9", token: Secret("t")),
            logger: Logger(label: "cache-problem-test")
        )
        let services = Services(settings: settings, uptime: UptimeData(client: client, cache: cache))
        return TestDriver(router: Routes.router(settings: settings), options: GatewayOptions(basePath: "/uptime")) {
            FunctionContext(info: $0, services: services)
        }
    }

    @Test func healthNamesTheProblemAndAnswersMarkIt() async throws {
        let broken = try driver(cache: BrokenCache())
        let health = await broken.send(method: "GET", uri: "/uptime/")
        #expect(health.status == 503)
        let body = String(decoding: health.body, as: UTF8.self)
        #expect(body.contains(#""status":"unavailable""#) && body.contains("the cache directory is not writable"), "\(body)")
        let answer = await broken.send(method: "GET", uri: "/uptime/_debug/sleep?ms=1")
        #expect(answer.status == 200)
        #expect(answer.headers["X-Uptime-Bridge-Cache-Problem"]?.hasPrefix("the cache directory is not writable") == true)

        let working = try driver(cache: MemoryCache(maxBytes: 1 << 20))
        #expect(await working.send(method: "GET", uri: "/uptime/").status == 200)
        let plain = await working.send(method: "GET", uri: "/uptime/_debug/sleep?ms=1")
        #expect(plain.headers["X-Uptime-Bridge-Cache-Problem"] == nil)
    }
}

@Suite("Response times in the file cache: the compact form")
struct ResponseTimesCompactTests {
    static func fixture() throws -> ResponseTimes {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/betterstack/response-times.json")
        struct Document: Decodable { var data: ResponseTimes }
        return try JSONDecoder().decode(Document.self, from: Data(contentsOf: url)).data
    }

    @Test("The fixture and a series with every mix of phases read back equal")
    func roundTrip() throws {
        var values = [try Self.fixture()]
        var mixed: [ResponseTimePoint] = []
        for bits in 0..<16 {
            let at: Int64 = 1_700_000_000_000 + Int64(bits) * 60_000
            let lookup: Double? = bits & 1 != 0 ? 0.01 : nil
            let connect: Double? = bits & 2 != 0 ? 0.001 : nil
            let tls: Double? = bits & 4 != 0 ? 0.02 : nil
            let transfer: Double? = bits & 8 != 0 ? 0.25 : nil
            mixed.append(
                ResponseTimePoint(
                    at: at, responseTime: 0.5 + Double(bits), nameLookupTime: lookup, connectionTime: connect,
                    tlsHandshakeTime: tls, dataTransferTime: transfer))
        }
        let regions = [RegionResponseTimes(region: "eu", points: mixed), RegionResponseTimes(region: "", points: [])]
        values.append(ResponseTimes(monitorID: "42", regions: regions))
        for value in values {
            var writer = CompactWriter()
            value.writeCompact(to: &writer)
            var reader = CompactReader(writer.bytes)
            #expect(ResponseTimes(compact: &reader) == value)
            #expect(reader.remaining == 0)
            // Every truncation reads as nothing.
            for length in stride(from: 0, to: writer.bytes.count, by: 7) {
                var short = CompactReader(Array(writer.bytes.prefix(length)))
                #expect(ResponseTimes(compact: &short) == nil, "\(length) bytes")
            }
        }
        #expect(!values[0].regions.isEmpty)
    }
}
