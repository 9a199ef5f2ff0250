import BetterStack
import Testing

@Suite("Heartbeat pings")
struct HeartbeatPingerTests {
    func pinger(_ transport: MockTransport, logs: LogStore = LogStore()) throws -> HeartbeatPinger {
        try HeartbeatPinger(
            baseURL: "http://127.0.0.1:8081",
            transport: transport,
            logger: logs.logger(),
            sleep: { _ in }
        )
    }

    @Test("Success, failure and exit code map to the documented paths")
    func paths() async throws {
        let transport = MockTransport([.json(200, "OK")])
        let pinger = try pinger(transport)
        let token = Secret(TestSecrets.heartbeatToken)
        try await pinger.ping(token: token, outcome: .success)
        try await pinger.ping(token: token, outcome: .failure)
        try await pinger.ping(token: token, outcome: .exitCode(0))
        try await pinger.ping(token: token, outcome: .exitCode(2))
        let base = "http://127.0.0.1:8081/api/v1/heartbeat/\(TestSecrets.heartbeatToken)"
        #expect(transport.requests.map(\.url) == [base, base + "/fail", base + "/0", base + "/2"])
        #expect(transport.requests.allSatisfy { $0.method == "GET" && $0.body == nil })
        #expect(transport.requests.allSatisfy { $0.headers["Authorization"] == nil })
    }

    @Test("A body makes the ping a POST carrying the job output")
    func postBody() async throws {
        let transport = MockTransport([.json(200, "")])
        try await pinger(transport).ping(token: Secret("tok"), outcome: .exitCode(1), body: "disk full\n")
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "http://127.0.0.1:8081/api/v1/heartbeat/tok/1")
        #expect(request.body == Array("disk full\n".utf8))
        #expect(request.headers["Content-Type"] == "text/plain; charset=utf-8")
    }

    @Test("An unknown token is .notFound; the token shows nowhere")
    func notFound() async throws {
        let outcome = try await Scenarios.heartbeatPingNotFound()
        #expect(outcome.error == .notFound("Resource with provided ID was not found"))
        #expect(outcome.events.map(\.endpoint) == ["heartbeat_ping"])
        #expect(outcome.logs.contains { $0.contains("/api/v1/heartbeat/<redacted>/fail") })
        for text in outcome.visibleTexts {
            #expect(!text.contains(TestSecrets.heartbeatToken))
        }
    }

    @Test("Connection failures are retried, then reported without the token")
    func connectionFailure() async throws {
        let outcome = try await Scenarios.heartbeatPingTimeout()
        #expect(outcome.requests.count == 3)
        guard case .transport = outcome.error else {
            Issue.record("expected .transport, got \(String(describing: outcome.error))")
            return
        }
    }

    @Test("Tokens that could alter the URL are rejected before sending")
    func invalidToken() async throws {
        let transport = MockTransport([.json(200, "")])
        let pinger = try pinger(transport)
        for bad in ["", "../x", "a/b", "a?b", "tok en"] {
            await #expect(throws: BetterStackError.self) {
                try await pinger.ping(token: Secret(bad), outcome: .success)
            }
        }
        #expect(transport.requests.isEmpty)
    }

    @Test("The token can be taken from a heartbeat's ping URL")
    func tokenFromURL() {
        #expect(
            HeartbeatPinger.token(
                fromPingURL: "https://uptime.betterstack.com/api/v1/heartbeat/abcd1234abcd1234abcd1234"
            )?
            .reveal() == "abcd1234abcd1234abcd1234"
        )
        #expect(
            HeartbeatPinger.token(fromPingURL: "https://betteruptime.com/api/v1/heartbeat/xyz/fail")?.reveal() == "xyz"
        )
        #expect(HeartbeatPinger.token(fromPingURL: "https://example.com/other") == nil)
    }
}
