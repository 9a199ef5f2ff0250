import Dispatch
import Logging
import Sandbox
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private func milliseconds(since start: timespec) -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return (Int64(now.tv_sec) - Int64(start.tv_sec)) * 1000 + (Int64(now.tv_nsec) - Int64(start.tv_nsec)) / 1_000_000
}

private func monotonicNow() -> timespec {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return now
}

/// Runs a blocking call on a Dispatch thread, so a test can do something else meanwhile without
/// depending on how many cooperative threads are free.
private final class BackgroundCall<T: Sendable>: @unchecked Sendable {
    // Written once before `done` is signalled, read only after waiting on it.
    private var result: Result<T, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> T) {
        DispatchQueue.global().async {
            self.result = Result { try work() }
            self.done.signal()
        }
    }

    func wait() throws -> T {
        done.wait()
        return try result!.get()
    }
}

@Suite("Fault injection")
struct FaultTests {
    private func setFault(_ server: SandboxServer, _ json: String) throws {
        let result = try server.send("/_sandbox/faults", method: "POST", token: nil, body: Array(json.utf8))
        #expect(result.status == 200, "\(result.text)")
    }

    @Test("Latency delays the faulted route without blocking the event loop")
    func latency() async throws {
        // One event loop thread: if the delay blocked it, the second request would wait too.
        try await withSandbox(SandboxConfiguration(now: testAnchor, threads: 1)) { server in
            try setFault(server, #"{"route":"response_times","latency_ms":600}"#)
            let start = monotonicNow()
            let slow = BackgroundCall { try server.send("/api/v2/monitors/200001/response-times") }
            usleep(50_000)
            let fastStart = monotonicNow()
            #expect(try server.send("/api/v2/monitors").status == 200)
            let fastElapsed = milliseconds(since: fastStart)
            let slowResult = try slow.wait()
            let slowElapsed = milliseconds(since: start)
            #expect(slowResult.status == 200)
            #expect(slowElapsed >= 600)
            #expect(fastElapsed < 400, "an unfaulted request took \(fastElapsed) ms")
        }
    }

    @Test("Error status at rate 1 always, at rate 0.5 about half the time, at rate 0 never")
    func statusAndRate() async throws {
        try await withSandbox { server in
            try setFault(server, #"{"route":"sla","status":503,"rate":1.0}"#)
            let failed = try server.send("/api/v2/monitors/200001/sla")
            #expect(failed.status == 503)
            #expect(try failed.json() == .object([("errors", .string("Service Unavailable"))]))
            #expect(try server.send("/api/v2/monitors/200001").status == 200)  // other routes untouched

            try setFault(server, #"{"route":"sla","status":500,"rate":0.5}"#)
            let statuses = try (0..<200).map { _ in try server.send("/api/v2/monitors/200001/sla").status }
            let failures = statuses.filter { $0 == 500 }.count
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 500 })
            #expect((60...140).contains(failures), "\(failures) of 200 failed")

            try setFault(server, #"{"route":"sla","status":500,"rate":0}"#)
            #expect(try (0..<20).allSatisfy { _ in try server.send("/api/v2/monitors/200001/sla").status == 200 })
        }
    }

    @Test("429 carries Retry-After")
    func rateLimited() async throws {
        try await withSandbox { server in
            try setFault(server, #"{"route":"monitors","status":429,"retry_after":2}"#)
            let result = try server.send("/api/v2/monitors")
            #expect(result.status == 429)
            #expect(result.header("Retry-After") == "2")
            #expect(try result.json()["errors"] != nil)
            // retry_after alone implies 429.
            try setFault(server, #"{"route":"monitors","retry_after":5}"#)
            let implied = try server.send("/api/v2/monitors")
            #expect(implied.status == 429 && implied.header("Retry-After") == "5")
        }
    }

    @Test("Truncated bodies are not valid JSON")
    func truncated() async throws {
        try await withSandbox { server in
            try setFault(server, #"{"route":"monitors","truncate":true}"#)
            let short = try server.send("/api/v2/monitors")
            #expect(short.status == 200)
            #expect(short.wasCutShort)
            #expect(!short.body.isEmpty)
            #expect(throws: JSONParser.Failure.self) { try short.json() }

            try setFault(server, #"{"route":"monitors","truncate":"json"}"#)
            let halfJSON = try server.send("/api/v2/monitors")
            #expect(halfJSON.status == 200 && !halfJSON.wasCutShort)
            #expect(halfJSON.header("Content-Length") == String(halfJSON.body.count))
            #expect(throws: JSONParser.Failure.self) { try halfJSON.json() }
        }
    }

    @Test("Garbage: an HTML error page, with 200 or the given status")
    func garbage() async throws {
        try await withSandbox { server in
            try setFault(server, #"{"route":"incidents","garbage":true}"#)
            let ok = try server.send("/api/v3/incidents")
            #expect(ok.status == 200)
            #expect(ok.header("Content-Type") == "text/html")
            #expect(ok.text.hasPrefix("<html>"))
            #expect(throws: JSONParser.Failure.self) { try ok.json() }
            try setFault(server, #"{"route":"incidents","garbage":true,"status":502}"#)
            let gateway = try server.send("/api/v2/incidents")
            #expect(gateway.status == 502 && gateway.text.contains("502 Bad Gateway"))
        }
    }

    @Test("Reset closes the connection without a response")
    func reset() async throws {
        try await withSandbox { server in
            try setFault(server, #"{"route":"heartbeats","reset":true}"#)
            let result = try server.send("/api/v2/heartbeats")
            #expect(result.received.isEmpty)
            #expect(result.status == 0)
            #expect(result.wasReset)
            // The server itself is fine.
            #expect(try server.send("/api/v2/monitors").status == 200)
        }
    }

    @Test("count limits a fault to the next N requests; '*' covers every route; DELETE clears")
    func countAndClear() async throws {
        try await withSandbox { server in
            try setFault(server, #"{"route":"monitor","status":500,"count":2}"#)
            let statuses = try (0..<3).map { _ in try server.send("/api/v2/monitors/200001").status }
            #expect(statuses == [500, 500, 200])
            #expect(try server.json("/_sandbox/faults")["faults"] == .array([]))

            try setFault(server, #"{"route":"*","status":503}"#)
            #expect(try server.send("/api/v2/status-pages").status == 503)
            #expect(try server.send("/api/v2/heartbeats/300001").status == 503)
            #expect(try server.send("/_sandbox/health", token: nil).status == 200)  // admin is never faulted
            #expect(try server.send("/_sandbox/faults", method: "DELETE", token: nil).status == 200)
            #expect(try server.send("/api/v2/status-pages").status == 200)
        }
    }

    @Test("Fault settings are validated")
    func validation() async throws {
        try await withSandbox { server in
            for body in [
                #"{"route":"nope","status":500}"#, #"{"route":"sla","rate":2}"#, #"{"route":"sla","bogus":1}"#, "{",
            ] {
                let result = try server.send("/_sandbox/faults", method: "POST", token: nil, body: Array(body.utf8))
                #expect(result.status == 400, "\(body)")
                #expect(try result.json()["error"]?.stringValue != nil)
            }
        }
    }

    @Test("Faults from the configuration (the CLI's --fault and --latency-ms)")
    func configuredFaults() async throws {
        let faults = try [Fault(cliSpec: "sla=status=502,count=1"), Fault(route: .all, latencyMilliseconds: 200)]
        try await withSandbox(SandboxConfiguration(now: testAnchor, faults: faults)) { (server) async throws in
            let start = monotonicNow()
            #expect(try server.send("/api/v2/monitors/200001/sla").status == 502)
            #expect(try server.send("/api/v2/monitors/200001/sla").status == 200)
            #expect(milliseconds(since: start) >= 400)
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        await #expect(throws: FaultParseError.self) {
            _ = try await SandboxServer.start(
                SandboxConfiguration(faults: [Fault(route: "nope", status: 500)]),
                logger: logger
            )
        }
    }
}
