import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Better Stack Errors (`BETTERSTACK_ERRORS_DSN`) with the real binaries behind nginx and the
/// sandbox's envelope ingest: a forced 500 and a dead worker arrive as events without a secret,
/// and a stalled ingest slows no request.
@Suite(.serialized)
struct ErrorReportingTests {
    init() { Processes.disableCoreDumps() }

    static let key = "sandboxerrorskey"

    /// The DSN of the sandbox's ingest.
    static func dsn(_ sandboxURL: String) -> String {
        sandboxURL.replacingOccurrences(of: "http://", with: "http://\(key)@") + "/1"
    }

    /// The event payloads the sandbox received.
    static func events(_ sandboxURL: String) async throws -> [[String: Any]] {
        let answer = try await HTTP.send("GET", "\(sandboxURL)/_sandbox/errors")
        let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
        return (json?["events"] as? [[String: Any]] ?? []).compactMap { $0["event"] as? [String: Any] }
    }

    /// Polls until an event satisfies `match`.
    static func waitForEvent(
        _ sandboxURL: String,
        seconds: Double = 15,
        _ match: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let event = try await events(sandboxURL).first(where: match) { return event }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("no such event within \(seconds) s: \(try await events(sandboxURL))")
    }

    static func type(_ event: [String: Any]) -> String? {
        ((event["exception"] as? [String: Any])?["values"] as? [[String: Any]])?.first?["type"] as? String
    }

    @Test func aForced500AndADeadWorkerArriveAsEventsWithoutSecrets() async throws {
        try await withNginxStack(
            sandboxArguments: ["--monitors", "3"],
            sandboxEnvironment: { url, _ in ["BETTERSTACK_ERRORS_DSN": Self.dsn(url)] },
            workers: 2
        ) { stack in
            let url = stack.sandboxURL
            let failed = try await HTTP.send("GET", stack.base + "/_debug/fail")
            #expect(failed.status == 500)
            let requestID = (try JSONSerialization.jsonObject(with: Data(failed.body.utf8)) as? [String: Any])?["request_id"] as? String
            let reported = try await Self.waitForEvent(url) { Self.type($0) == "InternalDetail" }
            let tags = reported["tags"] as? [String: String] ?? [:]
            #expect(tags["route"] == "/_debug/fail" && tags["status"] == "500" && tags["method"] == "GET", "\(tags)")
            #expect(requestID != nil && tags["request_id"] == requestID, "\(tags) vs \(String(describing: requestID))")
            #expect(reported["level"] as? String == "error")
            #expect((reported["release"] as? String)?.hasPrefix("uptime-bridge@") == true)

            // A worker that dies is reported by the one that replaces it.
            let workers = try await SupervisorTests.acceptingWorkers(stack, count: 2)
            try await SupervisorTests.waitUntilOlder(workers, than: 1.1)
            kill(workers[0], SIGSEGV)
            let death = try await Self.waitForEvent(url) { Self.type($0) == "WorkerDied" }
            let message = (death["message"] as? [String: Any])?["formatted"] as? String ?? ""
            #expect(message.contains("pid \(workers[0])") && message.contains("SIGSEGV"), "\(message)")
            #expect(death["level"] as? String == "fatal")

            // Never a secret, a path from the error's text, or the DSN's key.
            let all = try await HTTP.send("GET", "\(url)/_sandbox/errors").body
            for secret in ["sandbox-token", Self.key, "/etc/uptime-bridge/token"] {
                #expect(!all.contains(secret), "an event holds \(secret)")
            }
            let metrics = try await HTTP.send("GET", stack.base + "/metrics")
            #expect(metrics.body.contains("# TYPE uptime_bridge_error_events_total counter"))
            try Promtool.expectClean(Array(metrics.body.utf8), "/metrics with error reporting")
        }
    }

    /// With the ingest stalled for a minute, 300 failing requests are each answered at once; the
    /// reporter keeps at most its buffer and counts the rest as dropped.
    @Test func aStalledIngestSlowsNoRequestAndDropsWhatDoesNotFit() async throws {
        try await withNginxStack(
            sandboxArguments: ["--monitors", "3"],
            sandboxEnvironment: { url, _ in ["BETTERSTACK_ERRORS_DSN": Self.dsn(url)] },
            workers: 1
        ) { stack in
            let fault = try await HTTP.send(
                "POST", "\(stack.sandboxURL)/_sandbox/faults",
                body: Array(#"{"route": "errors_envelope", "latency_ms": 60000}"#.utf8),
                headers: [("Content-Type", "application/json")]
            )
            #expect(fault.status == 200, "\(fault.body)")
            var slowest = 0.0
            for _ in 0..<300 {
                let started = Date()
                let answer = try await HTTP.send("GET", stack.base + "/_debug/fail", timeout: .seconds(30))
                #expect(answer.status == 500)
                slowest = max(slowest, Date().timeIntervalSince(started))
            }
            // Waiting on the stalled ingest would take a minute per request.
            #expect(slowest < 5, "a request took \(slowest) s while the ingest stalled")
            #expect(try await HTTP.send("GET", stack.base + "/").status == 200)
            let metrics = try await HTTP.send("GET", stack.base + "/metrics").body
            let dropped = metrics.split(separator: "\n").first { $0.hasPrefix("uptime_bridge_error_events_total{outcome=\"dropped\"}") }
            let count = dropped.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } ?? 0
            // At most the buffer (100) and the batch in flight (10) are held; the rest is dropped.
            #expect(count >= 190, "\(dropped ?? "no dropped series")")
            print("stalled ingest: 300 failing requests, slowest \(String(format: "%.3f", slowest)) s, \(Int(count)) events dropped")
        }
    }
}
