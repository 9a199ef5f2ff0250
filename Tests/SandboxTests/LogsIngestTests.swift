import Sandbox
import Testing

@Suite("Logs ingestion")
struct LogsIngestTests {
    @Test("JSON object, JSON array and NDJSON are accepted with 202; bad token 403; bad JSON 406")
    func ingest() async throws {
        try await withSandbox { server in
            let token = SandboxConfiguration.defaultLogsToken
            let single = Array(try Fixtures.betterStack("logs-ingest-single.json").text.utf8)
            let batch = Array(try Fixtures.betterStack("logs-ingest-batch.json").text.utf8)
            let ndjson = Array("{\"message\":\"C\"}\n{\"message\":\"D\",\"dt\":1672490759123}\r\n".utf8)

            let accepted = try server.send("/", method: "POST", token: token, body: single)
            #expect(accepted.status == 202 && accepted.body.isEmpty)
            #expect(try server.send("/_logs", method: "POST", token: token, body: batch).status == 202)
            let nd = try server.send(
                "/",
                method: "POST",
                token: token,
                headers: [("Content-Type", "application/x-ndjson")],
                body: ndjson
            )
            #expect(nd.status == 202)

            let forbidden = try server.send("/", method: "POST", token: SandboxConfiguration.defaultToken, body: single)
            #expect(forbidden.status == 403 && forbidden.text == "Unauthorized")
            let unparsable = try server.send("/", method: "POST", token: token, body: Array("{nope".utf8))
            #expect(unparsable.status == 406 && unparsable.text == "Couldn't parse JSON content.")
            #expect(try server.send("/", method: "POST", token: token, body: Array("[1,2]".utf8)).status == 406)

            let logs = try server.json("/_sandbox/logs")
            #expect(logs["received"] == .int(5))
            let messages = (logs["logs"]?.arrayValue ?? []).map { $0["record"]?["message"] }
            #expect(messages == ["I have arrived on time", "A", "B", "C", "D"].map { JSON.string($0) })
            #expect(logs["logs"]?[0]?["record"]?["dt"] == .string("2023-08-09 07:03:30+00:00"))
        }
    }

    @Test("Above the configured body limit: 413 'payload reached size limit', counted as a call and as too large")
    func tooLarge() async throws {
        try await withSandbox(SandboxConfiguration(now: testAnchor, maxBodyBytes: 4096)) { server in
            let token = SandboxConfiguration.defaultLogsToken
            let record = "{\"message\":\"" + String(repeating: "x", count: 1000) + "\"}"
            let fits = Array(("[" + Array(repeating: record, count: 3).joined(separator: ",") + "]").utf8)
            let over = Array(("[" + Array(repeating: record, count: 5).joined(separator: ",") + "]").utf8)
            #expect(try server.send("/", method: "POST", token: token, body: fits).status == 202)
            let refused = try server.send("/", method: "POST", token: token, body: over)
            #expect(refused.status == 413)
            #expect(refused.text == "payload reached size limit")

            let logs = try server.json("/_sandbox/logs")
            #expect(logs["received"] == .int(3))
            #expect(logs["requests"] == .int(2))
            #expect(logs["accepted"] == .int(1))
            #expect(logs["too_large"] == .int(1))
            #expect(logs["largest_request_bytes"] == .int(fits.count))
            #expect(server.requestCount(.logsIngest) == 2)

            #expect(try server.send("/_sandbox/logs", method: "DELETE", token: nil).status == 204)
            let cleared = try server.json("/_sandbox/logs")
            #expect(cleared["requests"] == .int(0) && cleared["too_large"] == .int(0))
        }
    }

    @Test("The default limit is Better Stack Logs' documented 10 MiB")
    func defaultLimit() {
        #expect(SandboxConfiguration().maxBodyBytes == 10 * 1024 * 1024)
        #expect(SandboxConfiguration.defaultMaxBodyBytes == 10 * 1024 * 1024)
    }
}
