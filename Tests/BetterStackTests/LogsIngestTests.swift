import AsyncHTTPClient
import BetterStack
import Logging
import NIOCore
import Sandbox
import TestSupport
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("Better Stack Logs ingestion")
struct LogsIngestTests {
    /// Semantic JSON comparison: decode both into generic values.
    func jsonValue(_ bytes: some Sequence<UInt8>) throws -> LogFieldValue {
        try JSONDecoder().decode(LogFieldValue.self, from: Data(Array(bytes)))
    }

    @Test("logs-ingest-single.json decodes (string dt) and re-encodes to the same JSON")
    func single() throws {
        let bytes = try Fixtures.bytes("logs-ingest-single.json")
        let record = try JSONDecoder().decode(LogRecord.self, from: Data(bytes))
        #expect(record.message == "I have arrived on time")
        #expect(record.dt == .text("2023-08-09 07:03:30+00:00"))
        #expect(record.fields.isEmpty)
        #expect(try jsonValue(JSONEncoder().encode(record)) == jsonValue(bytes))
    }

    @Test("logs-ingest-batch.json decodes as an array and re-encodes to the same JSON")
    func batch() throws {
        let bytes = try Fixtures.bytes("logs-ingest-batch.json")
        let records = try JSONDecoder().decode([LogRecord].self, from: Data(bytes))
        #expect(records.map(\.message) == ["A", "B"])
        #expect(records.allSatisfy { $0.dt == nil })
        #expect(try jsonValue(JSONEncoder().encode(records)) == jsonValue(bytes))
    }

    @Test("Extra fields and unix dt survive a round trip")
    func extraFields() throws {
        let json = #"{"dt":1672490759123,"message":"m","level":"warn","ctx":{"n":[1,2.5,true,null]}}"#
        let record = try JSONDecoder().decode(LogRecord.self, from: Data(json.utf8))
        #expect(record.dt == .unix(1_672_490_759_123))
        #expect(record.fields["level"] == "warn")
        #expect(record.fields["ctx"] == .object(["n": .array([1, 2.5, true, .null])]))
        #expect(try jsonValue(JSONEncoder().encode(record)) == jsonValue(Array(json.utf8)))
    }

    @Test("send() POSTs a JSON array with the source token; 202 is success")
    func send() async throws {
        let transport = MockTransport([.json(202, "")])
        let client = LogsIngestClient(
            configuration: try LogsIngestConfiguration(
                ingestURL: "http://127.0.0.1:9400",
                sourceToken: Secret(TestSecrets.logsToken)
            ),
            transport: transport,
            logger: LogStore().logger()
        )
        try await client.send([
            LogRecord(message: "started", atMilliseconds: 1_777_713_243_000, fields: ["level": "info"]),
            LogRecord(message: "B"),
        ])
        try await client.send([])
        #expect(transport.requests.count == 1)
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "http://127.0.0.1:9400/")
        #expect(request.headers["Authorization"] == "Bearer \(TestSecrets.logsToken)")
        #expect(request.headers["Content-Type"] == "application/json")
        let body = try #require(request.body)
        #expect(
            try jsonValue(body)
                == .array([
                    .object(["dt": "2026-05-02T09:14:03.000Z", "message": "started", "level": "info"]),
                    .object(["message": "B"]),
                ])
        )
    }

    @Test("403, 406 and 413 map to typed errors with the plain-text message")
    func errors() async throws {
        let unauthorized = try await Scenarios.logsUnauthorized()
        #expect(unauthorized.error == .unauthorized("Unauthorized"))
        #expect(unauthorized.requests.count == 1)
        let tooLarge = try await Scenarios.logsTooLarge()
        #expect(tooLarge.error == .payloadTooLarge("payload reached size limit"))

        let transport = MockTransport { _, index in
            index == 0 ? .json(406, "Couldn't parse JSON content.") : .json(402, "Quota exceeded")
        }
        let client = LogsIngestClient(
            configuration: try LogsIngestConfiguration(
                ingestURL: "http://127.0.0.1:9400",
                sourceToken: Secret("s0urce")
            ),
            transport: transport,
            logger: LogStore().logger()
        )
        await #expect(throws: BetterStackError.badRequest("Couldn't parse JSON content.")) {
            try await client.send([LogRecord(message: "x")])
        }
        await #expect(throws: BetterStackError.upstreamStatus(402, "Quota exceeded")) {
            try await client.send([LogRecord(message: "x")])
        }
    }

    // MARK: - Request size cap and splitting

    /// `count` records whose messages are `"<index> " + size × "x"`.
    static func records(_ count: Int, size: Int) -> [LogRecord] {
        (0..<count).map {
            LogRecord(message: "\($0) " + String(repeating: "x", count: size), fields: ["i": .integer(Int64($0))])
        }
    }

    func messages(ofBodies bodies: [[UInt8]]) throws -> [String] {
        try bodies.flatMap { body in
            try JSONDecoder().decode([LogRecord].self, from: Data(body)).map(\.message)
        }
    }

    @Test("The cap is 1 MiB by default and at least 1 KiB")
    func capDefaults() throws {
        #expect(LogsIngestConfiguration.defaultMaxRequestBytes == 1_048_576)
        let configuration = try LogsIngestConfiguration(ingestURL: "http://127.0.0.1:9400", sourceToken: Secret("s"))
        #expect(configuration.maxRequestBytes == 1_048_576)
        #expect(throws: BetterStackError.self) {
            try LogsIngestConfiguration(
                ingestURL: "http://127.0.0.1:9400",
                sourceToken: Secret("s"),
                maxRequestBytes: 1000
            )
        }
    }

    @Test("A batch over the cap becomes several requests, each a JSON array under the cap, in order")
    func splitsInOrder() async throws {
        let transport = MockTransport([.json(202, "")])
        let client = LogsIngestClient(
            configuration: try LogsIngestConfiguration(
                ingestURL: "http://127.0.0.1:9400",
                sourceToken: Secret("s0urce"),
                maxRequestBytes: 10_000
            ),
            transport: transport,
            logger: LogStore().logger()
        )
        let records = Self.records(100, size: 900)  // about 95 kB in all, under 1 kB each
        let delivery = try await client.send(records)
        #expect(delivery.delivered == 100 && delivery.oversized == 0)
        #expect(delivery.requests == transport.requests.count)
        #expect(transport.requests.count >= 10)
        let bodies = transport.requests.compactMap(\.body)
        #expect(
            bodies.allSatisfy { $0.count <= 10_000 && $0.first == UInt8(ascii: "[") && $0.last == UInt8(ascii: "]") }
        )
        // Packed greedily: every body but the last would overflow with one more record.
        #expect(bodies.dropLast().allSatisfy { $0.count + 900 > 10_000 })
        #expect(try messages(ofBodies: bodies) == records.map(\.message))

        // A batch under the cap is one request, byte-identical to encoding the array at once.
        let small = Self.records(3, size: 10)
        let before = transport.requests.count
        try await client.send(small)
        #expect(transport.requests.count == before + 1)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(transport.requests.last?.body == Array(try encoder.encode(small)))
    }

    @Test("A record larger than the cap alone is dropped and counted; the rest is sent")
    func oversizedRecordDropped() async throws {
        let transport = MockTransport([.json(202, "")])
        let client = LogsIngestClient(
            configuration: try LogsIngestConfiguration(
                ingestURL: "http://127.0.0.1:9400",
                sourceToken: Secret("s0urce"),
                maxRequestBytes: 4096
            ),
            transport: transport,
            logger: LogStore().logger()
        )
        var records = Self.records(4, size: 100)
        records.insert(LogRecord(message: String(repeating: "y", count: 5000)), at: 2)
        let delivery = try await client.send(records)
        #expect(delivery == LogsIngestClient.Delivery(delivered: 4, requests: 1, oversized: 1))
        #expect(
            try messages(ofBodies: transport.requests.compactMap(\.body)) == Self.records(4, size: 100).map(\.message)
        )

        // Only oversized records: nothing is sent.
        let only = try await client.send([LogRecord(message: String(repeating: "z", count: 5000))])
        #expect(only == LogsIngestClient.Delivery(delivered: 0, requests: 0, oversized: 1))
        #expect(transport.requests.count == 1)
    }

    @Test("Against the sandbox: 5 MiB of records where it refuses over 2 MiB arrive whole, in 1 MiB requests, no 413")
    func splitAgainstSandbox() async throws {
        let token = "logs-\(UInt32.random(in: 0...UInt32.max))"
        let server = try await SandboxServer.start(
            SandboxConfiguration(logsToken: token, maxBodyBytes: 2 << 20),
            logger: Logger(label: "sandbox") { _ in SwiftLogNoOpLogHandler() }
        )
        do {
            let client = LogsIngestClient(
                configuration: try LogsIngestConfiguration(
                    ingestURL: "http://127.0.0.1:\(server.port)",
                    sourceToken: Secret(token),
                    requestTimeout: .seconds(30),
                    retryPolicy: .none
                ),
                logger: LogStore().logger()
            )
            let records = Self.records(64, size: 80_000)  // about 5 MiB
            let delivery = try await client.send(records)
            #expect(delivery.delivered == 64 && delivery.oversized == 0)
            #expect(delivery.requests >= 5)

            let logs = try await Self.sandboxLogs(server)
            #expect(logs["received"] == .int(64))
            #expect(logs["too_large"] == .int(0))
            #expect(logs["accepted"] == .int(delivery.requests))
            #expect((logs["largest_request_bytes"]?.intValue ?? .max) <= LogsIngestConfiguration.defaultMaxRequestBytes)
            let received = (logs["logs"]?.arrayValue ?? []).compactMap { $0["record"]?["message"]?.stringValue }
            #expect(received == records.map(\.message))

            // The same batch as one request, as the client sent it before: the sandbox refuses it.
            let encoder = JSONEncoder()
            let whole = try await HTTPClient.shared.execute(
                {
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/")
                    request.method = .POST
                    request.headers.add(name: "Authorization", value: "Bearer \(token)")
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(bytes: Array(try encoder.encode(records))))
                    return request
                }(),
                timeout: .seconds(30)
            )
            #expect(whole.status.code == 413)
            #expect(try await Self.sandboxLogs(server)["too_large"] == .int(1))
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    /// `GET /_sandbox/logs`, parsed.
    static func sandboxLogs(_ server: SandboxServer) async throws -> JSON {
        let answer = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/_sandbox/logs"),
            timeout: .seconds(30)
        )
        let body = try await answer.body.collect(upTo: 64 << 20)
        return try JSONParser.parse(Array(body.readableBytesView))
    }
}
