import BetterStack
import Sandbox
import Testing

/// The client over the real AsyncHTTPClient transport against the in-process sandbox: the
/// wire, the sandbox's upstream-faithful bodies and its faults, not a mock's idea of them.
///
/// There is no 422 test here: the client has no heartbeat-create (or other write) method, the
/// only route where the sandbox answers 422. The 422 mapping is covered by ``ClientErrorTests``.
@Suite("BetterStackClient against the sandbox")
struct SandboxClientTests {
    // MARK: - Pagination

    @Test("Listing follows pagination.next over three pages: 12 monitors, 5 per page")
    func threePages() async throws {
        let outcome = try await SandboxScenarios.threePages()
        let expected = (200_001...200_012).map(String.init).joined(separator: ",")
        #expect(outcome.error == nil)
        #expect(outcome.value == expected)
        #expect(outcome.requests(.monitors) == 3)
        #expect(outcome.client.requests.map(\.url).allSatisfy { $0.contains("per_page=5") })
    }

    @Test("1000 monitors at 250 per page take exactly four requests")
    func fourFullPages() async throws {
        let outcome = try await SandboxScenarios.fourFullPages()
        let ids = outcome.value?.split(separator: ",").map(String.init) ?? []
        #expect(outcome.error == nil)
        #expect(ids.count == 1000)
        #expect(Set(ids).count == 1000)
        #expect(ids.first == "200001" && ids.last == "201000")
        #expect(outcome.requests(.monitors) == 4)
    }

    @Test("Lookup by URL finds a monitor on the last page, paging only as far as needed")
    func firstMonitorOnLastPage() async throws {
        let outcome = try await SandboxScenarios.firstMonitorOnLastPage()
        #expect(outcome.error == nil)
        #expect(outcome.value == "200012")
        #expect(outcome.requests(.monitor) == 1)
        #expect(outcome.requests(.monitors) == 3)
    }

    @Test("Lookup by URL stops after the page that has the monitor")
    func firstMonitorOnFirstPage() async throws {
        let outcome = try await SandboxScenarios.firstMonitorOnFirstPage()
        #expect(outcome.value == SandboxScenarios.firstMonitorID)
        #expect(outcome.requests(.monitors) == 1)
    }

    // MARK: - Error bodies

    @Test("A wrong token is .unauthorized with upstream's message, not retried")
    func unauthorized() async throws {
        let outcome = try await SandboxScenarios.unauthorized()
        guard case .unauthorized(let message) = outcome.error else {
            Issue.record("expected .unauthorized, got \(String(describing: outcome.error)) / \(outcome.value ?? "-")")
            return
        }
        #expect(message.hasPrefix("Invalid Team API token."))
        #expect(outcome.totalRequests == 1)
    }

    @Test("An unknown monitor id is .notFound with upstream's message")
    func notFound() async throws {
        let outcome = try await SandboxScenarios.notFound()
        #expect(outcome.error == .notFound("Resource with provided ID was not found"))
        #expect(outcome.requests(.monitor) == 1)
    }

    @Test("An inverted SLA range is .badRequest with upstream's message")
    func slaBadRange() async throws {
        let outcome = try await SandboxScenarios.slaBadRange()
        guard case .badRequest(let message) = outcome.error else {
            Issue.record("expected .badRequest, got \(String(describing: outcome.error))")
            return
        }
        #expect(message.hasPrefix("The data range is invalid."))
        #expect(message.hasSuffix("the end time is after the start time."))
        #expect(outcome.requests(.sla) == 1)
    }

    // MARK: - Retries

    @Test("429 with Retry-After: 1 waits one second, then succeeds: exactly two requests")
    func rateLimitedThenSuccess() async throws {
        let outcome = try await SandboxScenarios.rateLimitedThenSuccess()
        #expect(outcome.error == nil)
        #expect(outcome.value == SandboxScenarios.firstMonitorURL)
        #expect(outcome.client.waits == [.seconds(1)])
        #expect(outcome.outcomes == ["429", "200"])
        #expect(outcome.requests(.monitor) == 2)
    }

    @Test("429 on every attempt is .rateLimited carrying the last Retry-After")
    func rateLimitedExhausted() async throws {
        let outcome = try await SandboxScenarios.rateLimitedExhausted()
        #expect(outcome.error == .rateLimited(retryAfter: .seconds(2)))
        #expect(outcome.client.waits == [.seconds(2), .seconds(2)])
        #expect(outcome.requests(.monitor) == 3)
    }

    @Test("503 then success: exactly two requests, one backoff")
    func serverErrorThenSuccess() async throws {
        let outcome = try await SandboxScenarios.serverErrorThenSuccess()
        #expect(outcome.error == nil)
        #expect(outcome.value.flatMap(Double.init).map { (0...100).contains($0) } == true)
        #expect(outcome.outcomes == ["503", "200"])
        #expect(outcome.client.waits.count == 1)
        #expect(outcome.requests(.sla) == 2)
    }

    @Test("500 on every attempt is .upstreamStatus after three requests")
    func serverErrorExhausted() async throws {
        let outcome = try await SandboxScenarios.serverErrorExhausted()
        #expect(outcome.error == .upstreamStatus(500, "Internal Server Error"))
        #expect(outcome.requests(.monitor) == 3)
    }

    @Test("An answer slower than the request timeout is .timeout, each attempt bounded")
    func timeout() async throws {
        let outcome = try await SandboxScenarios.timeout()
        #expect(outcome.error == .timeout)
        #expect(outcome.outcomes == ["timeout", "timeout", "timeout"])
        #expect(outcome.requests(.monitor) == 3)
        // Three attempts each ended as a timeout (the sandbox would have answered after 1 s), so each
        // was bounded by the 200 ms request timeout.
        #expect(outcome.elapsed >= .milliseconds(600))
    }

    // MARK: - Bodies and connections

    @Test("A JSON body cut in half is .undecodableBody, not retried")
    func truncatedJSON() async throws {
        let outcome = try await SandboxScenarios.truncatedJSON()
        guard case .undecodableBody(let detail) = outcome.error else {
            Issue.record("expected .undecodableBody, got \(String(describing: outcome.error))")
            return
        }
        #expect(detail.contains("not valid JSON"), "\(detail)")
        #expect(outcome.requests(.monitors) == 1)
    }

    @Test("A connection closed mid-body is retried, then succeeds")
    func truncatedConnection() async throws {
        let outcome = try await SandboxScenarios.truncatedConnection()
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        #expect(outcome.value == SandboxScenarios.firstMonitorID)
        #expect(outcome.outcomes == ["connection_reset", "200"])
        #expect(outcome.requests(.monitor) == 2)
    }

    @Test("An HTML page with status 200 is .undecodableBody")
    func nonJSONBody() async throws {
        let outcome = try await SandboxScenarios.nonJSONBody()
        guard case .undecodableBody(let detail) = outcome.error else {
            Issue.record("expected .undecodableBody, got \(String(describing: outcome.error))")
            return
        }
        #expect(detail.contains("not valid JSON"), "\(detail)")
        #expect(detail.contains("<"), "the preview shows the start of the page: \(detail)")
        #expect(outcome.requests(.responseTimes) == 1)
    }

    @Test("A TCP reset is retried, then succeeds: exactly two requests")
    func resetThenSuccess() async throws {
        let outcome = try await SandboxScenarios.resetThenSuccess()
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        #expect(outcome.value == SandboxScenarios.firstMonitorID)
        #expect(outcome.outcomes == ["connection_reset", "200"])
        #expect(outcome.requests(.monitor) == 2)
    }

    @Test("A reset on every attempt is retried, then .transport")
    func resetExhausted() async throws {
        let outcome = try await SandboxScenarios.resetExhausted()
        #expect(outcome.error == .transport("connection reset by peer"))
        #expect(outcome.outcomes == ["connection_reset", "connection_reset", "connection_reset"])
        #expect(outcome.requests(.monitor) == 3)
    }

    @Test("A heartbeat ping with an unknown token is .notFound")
    func heartbeatPingUnknownToken() async throws {
        let outcome = try await SandboxScenarios.heartbeatPingUnknownToken()
        guard case .notFound = outcome.error else {
            Issue.record("expected .notFound, got \(String(describing: outcome.error))")
            return
        }
        #expect(outcome.requests(.heartbeatPing) == 1)
    }
}

@Suite("No secret in anything the sandbox scenarios produce")
struct SandboxSecretLeakTests {
    @Test("Error descriptions, dumps, log lines and request dumps of every sandbox scenario are free of tokens")
    func noLeaks() async throws {
        var collected: [(scenario: String, text: String)] = []
        var failures = 0
        for scenario in SandboxScenarios.all {
            let outcome = try await scenario.run()
            collected += outcome.client.visibleTexts.map { (scenario.name, $0) }
            #expect(!outcome.client.logs.isEmpty, "\(scenario.name) logged nothing")
            #expect(outcome.totalRequests > 0, "\(scenario.name) never reached the sandbox")
            if outcome.error != nil { failures += 1 }
        }
        // Most scenarios end in an error: their descriptions are what is being checked.
        #expect(failures >= 10)
        #expect(collected.count > 100)
        for (scenario, text) in collected {
            if let secret = TestSecrets.leaked(in: text) {
                Issue.record("\(scenario) leaked \(secret.prefix(4))… in: \(text.prefix(300))")
            }
        }
    }
}
