import AsyncHTTPClient
import BetterStack
import NIOCore
import Sandbox
import TestSupport
import Testing

/// The sandbox's first heartbeat's ping token (seed-independent).
enum SandboxHeartbeat {
    static let firstToken = "8oft6qqcntha8luawfszlvfh"
}

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

    @Test("A body makes the ping a POST carrying the job output, form-encoded as `curl -d` labels it")
    func postBody() async throws {
        let transport = MockTransport([.json(200, "")])
        try await pinger(transport).ping(token: Secret("tok"), outcome: .exitCode(1), body: "disk full\n")
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "http://127.0.0.1:8081/api/v1/heartbeat/tok/1")
        #expect(request.body == Array("disk%20full%0A".utf8))
        #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
    }

    @Test("The form body keeps unreserved bytes and escapes everything else, UTF-8 included")
    func formEncoding() {
        func encoded(_ text: String) -> String { String(decoding: HeartbeatPinger.formBody(text), as: UTF8.self) }
        #expect(encoded("AZaz09-._~") == "AZaz09-._~")
        #expect(encoded("a b+c&d=e%f") == "a%20b%2Bc%26d%3De%25f")
        #expect(encoded("line1\r\nline2") == "line1%0D%0Aline2")
        #expect(encoded("ü✓") == "%C3%BC%E2%9C%93")
        #expect(encoded("") == "")
        #expect(HeartbeatPinger.formContentType == "application/x-www-form-urlencoded")
    }

    @Test("Against the sandbox: paths unchanged, the output arrives form-encoded and decodes to the exact text")
    func formBodyAgainstSandbox() async throws {
        let output = "push failed: 3 of 4 sources & 50% + \"quoted\" = bad\nzweite Zeile ✓\n"
        let outcome = try await SandboxHarness.run { context in
            let pinger = try HeartbeatPinger(
                baseURL: context.baseURL,
                requestTimeout: .seconds(5),
                retryPolicy: SandboxHarness.retryPolicy,
                transport: context.transport,
                logger: context.logger,
                sleep: context.sleep
            )
            let token = Secret(SandboxHeartbeat.firstToken)
            try await pinger.ping(token: token, outcome: .success)
            try await pinger.ping(token: token, outcome: .failure, body: output)
            try await pinger.ping(token: token, outcome: .exitCode(3), body: output)
            let answer = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: context.baseURL + "/_sandbox/pings"),
                timeout: .seconds(10)
            )
            let body = try await answer.body.collect(upTo: 1 << 20)
            return String(buffer: body)
        }
        #expect(outcome.error == nil, "\(String(describing: outcome.error)) \(outcome.client.otherError ?? "")")
        let pings = try #require(try JSONParser.parse(Array((outcome.value ?? "").utf8))["pings"]?.arrayValue)
        #expect(pings.map { $0["kind"]?.stringValue ?? "" } == ["success", "fail", "exit_code"])
        #expect(pings.map { $0["method"]?.stringValue ?? "" } == ["GET", "POST", "POST"])
        #expect(pings[0]["body"] == .string("") && pings[0]["content_type"] == .null)
        for ping in pings.dropFirst() {
            #expect(ping["content_type"] == .string("application/x-www-form-urlencoded"))
            #expect(ping["body"] == .string(output))
            #expect(ping["raw_body"] == .string(String(decoding: HeartbeatPinger.formBody(output), as: UTF8.self)))
        }
        #expect(pings[2]["exit_code"] == .int(3))
        let urls = outcome.client.requests.map(\.url).filter { $0.contains("/api/v1/heartbeat/") }
        #expect(
            urls.map { $0.split(separator: "/").suffix(2).joined(separator: "/") } == [
                "heartbeat/\(SandboxHeartbeat.firstToken)", "\(SandboxHeartbeat.firstToken)/fail",
                "\(SandboxHeartbeat.firstToken)/3",
            ]
        )
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
