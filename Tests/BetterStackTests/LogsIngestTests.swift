import BetterStack
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
}
