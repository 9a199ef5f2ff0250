import Catchpoint
import OpenTSDB
@testable import Push
import Sandbox
import TestSupport
import Testing

private let anchor: Int64 = 1_777_713_300_000  // 2026-05-02T09:15:00Z
private let minute: Int64 = 60_000

@Suite("InfluxDB 1.x (real, Debian influxdb) [[opentsdb]] input", .serialized)
struct InfluxDBTests {
    @Test("it stores the same pushes whole: generated runs and the recorded run")
    func acceptsPushes() async throws {
        try await withTemporaryDirectory { directory in
            let influx = try await InfluxDB.start(in: directory)
            defer { influx.stop() }
            try await withSandbox(SandboxConfiguration(now: anchor)) { server in
                let tests = Array(1...6)
                let expected = try await PushRuns.expected(
                    sandbox: server.baseURL,
                    testIDs: tests,
                    start: anchor - 60 * minute,
                    end: anchor
                )
                let generated = await PushRuns.run(
                    PushRuns.settings(
                        sandbox: server.baseURL,
                        receiver: influx.receiverURL,
                        checkpoint: directory.file("generated.json"),
                        testIDs: tests,
                        lookback: .seconds(3600)
                    ),
                    now: anchor
                )
                #expect(generated.succeeded && generated.sent == expected.count, "\(generated.summary)")
                try await waitUntil("InfluxDB never held \(expected.count) points") {
                    try await influx.count() == expected.count
                }

                let recorded = await PushRuns.run(
                    PushRuns.settings(
                        sandbox: server.baseURL,
                        receiver: influx.receiverURL,
                        checkpoint: directory.file("recorded.json"),
                        testIDs: [CatchpointSandboxOptions.recordedTestID],
                        lookback: .seconds(5 * 366 * 86_400),
                        retention: .seconds(6 * 366 * 86_400)
                    ),
                    now: anchor
                )
                #expect(recorded.succeeded && recorded.sent == 111, "\(recorded.summary)")
                try await waitUntil("InfluxDB never held the 111 recorded points too") {
                    try await influx.count() == expected.count + 111
                }
                // Spot check: tags as strings, the value, second precision kept.
                let answer = try await influx.query(
                    #"SELECT "value" FROM "catchpoint.testdata.DNS.ms" WHERE "TestId" = '142637' AND "StepNumber" = '1'"#
                )
                #expect(
                    answer["results"]?[0]?["series"]?[0]?["values"]?[0] == .array([.int(1_643_363_710_000), .int(37)])
                )
            }
        }
    }

    @Test("a float timestamp makes InfluxDB refuse the whole request (and the old job's batch)")
    func refusesFloatTimestamps() async throws {
        try await withTemporaryDirectory { directory in
            let influx = try await InfluxDB.start(in: directory)
            defer { influx.stop() }
            let float =
                #"[{"metric":"catchpoint.testdata.DNS.ms","timestamp":1643363710.0,"value":37.0,"tags":{"TestId":"142637","NodeId":"412"}}]"#
            let refused = try await HTTP.post(influx.receiverURL + "/api/put", body: float)
            #expect(refused.status == 400)
            #expect(String(decoding: refused.body, as: UTF8.self).contains("json array decode error"))

            let oldBatch = try Fixtures.text("catchpoint/opentsdb-put-batch-from-python-opentsdb.json")
            #expect(try await HTTP.post(influx.receiverURL + "/api/put", body: oldBatch).status == 400)

            // The same point as uptime-bridge sends it is stored.
            let integer = String(decoding: PutBody.encode(try MappingTests.fixturePoints().prefix(1)), as: UTF8.self)
            #expect(try await HTTP.post(influx.receiverURL + "/api/put", body: integer).status == 204)
            try await waitUntil("the integer-timestamp point never arrived") { try await influx.count() == 1 }
        }
    }
}
