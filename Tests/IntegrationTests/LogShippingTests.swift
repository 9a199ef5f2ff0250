import Foundation
import Testing

/// The bridge shipping its own logs to Better Stack Logs (the sandbox's ingest endpoint).
@Suite(.serialized)
struct LogShippingTests {
    @Test func recordsArriveWithDtAndAStalledIngestSlowsNoRequest() async throws {
        let port = try freePort()
        let scratch = try ScratchDirectory("logs-sandbox")
        defer { scratch.cleanup() }
        let sandbox = try ManagedProcess(
            "uptime-bridge-sandbox",
            executable: Paths.sandbox,
            arguments: ["--port", "\(port)"],
            logPath: scratch.file("sandbox.log")
        )
        defer { sandbox.stop() }
        try await HTTP.waitUntilUp("http://127.0.0.1:\(port)/_sandbox/health", process: sandbox)
        try await withNginxStack(bridgeEnvironment: [
            "BETTERSTACK_LOGS_URL": "http://127.0.0.1:\(port)", "BETTERSTACK_LOGS_TOKEN": "sandbox-logs-token",
            "BETTERSTACK_LOGS_LEVEL": "warning",
        ]) { stack in
            let ingest = "http://127.0.0.1:\(port)"
            func received() async throws -> [[String: Any]] {
                let answer = try await HTTP.send("GET", ingest + "/_sandbox/logs")
                return ((answer.object["logs"] as? [[String: Any]]) ?? []).compactMap { $0["record"] as? [String: Any] }
            }
            for _ in 0..<5 { #expect(try await HTTP.send("GET", stack.base + "/_debug/fail").status == 500) }
            var records: [[String: Any]] = []
            for _ in 0..<100 where records.count < 5 {
                records = try await received()
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(records.count >= 5)
            for record in records {
                #expect(record["dt"] is String)
                #expect(record["level"] as? String == "error")
                #expect((record["message"] as? String)?.contains("unhandled error") == true)
                #expect(record["request-id"] is String)
            }

            // The ingest stalls for a minute; every request still completes, before any of its
            // records could have been received.
            let before = try await received().count
            _ = try await HTTP.send(
                "POST",
                ingest + "/_sandbox/faults",
                body: Array(#"{"route":"logs_ingest","latency_ms":60000}"#.utf8),
                headers: [("Content-Type", "application/json")]
            )
            for _ in 0..<200 {
                let answer = try await HTTP.send("GET", stack.base + "/_debug/fail", timeout: .seconds(10))
                #expect(answer.status == 500)
            }
            #expect(try await HTTP.send("GET", stack.base + "/").status == 200)
            #expect(try await received().count == before)
            _ = try await HTTP.send("DELETE", ingest + "/_sandbox/faults")
        }
    }
}
