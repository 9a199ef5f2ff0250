@testable import BetterStack
import Logging
import TestSupport
import Testing

@Suite("Secrets never print")
struct SecretTests {
    let secret = Secret(TestSecrets.apiToken)

    @Test("description, debugDescription, interpolation, reflection and dump are redacted")
    func redacted() {
        #expect(String(describing: secret) == "<redacted>")
        #expect(String(reflecting: secret) == "Secret(<redacted>)")
        #expect("\(secret)" == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains(TestSecrets.apiToken))
        #expect(Mirror(reflecting: secret).children.isEmpty)
        #expect(secret.reveal() == TestSecrets.apiToken)
    }

    @Test("Configurations and clients do not print the token, even when dumped")
    func containers() throws {
        let configuration = try BetterStackConfiguration(token: secret)
        let client = BetterStackClient(
            configuration: configuration,
            transport: MockTransport([.json(200, "")]),
            logger: LogStore().logger()
        )
        for text in [String(describing: configuration), String(reflecting: configuration), String(reflecting: client)] {
            #expect(!text.contains(TestSecrets.apiToken))
        }
        var dumped = ""
        dump(client, to: &dumped)
        dump(configuration, to: &dumped)
        #expect(!dumped.isEmpty)
        #expect(!dumped.contains(TestSecrets.apiToken))
    }

    @Test("Requests hide the Authorization value and heartbeat tokens")
    func requestDescription() {
        let request = HTTPTransportRequest(
            method: "POST",
            url: "https://uptime.betterstack.com/api/v1/heartbeat/\(TestSecrets.heartbeatToken)/fail",
            headers: ["Authorization": "Bearer \(TestSecrets.apiToken)"],
            body: Array("out".utf8),
            timeout: .seconds(1)
        )
        let text = String(describing: request)
        #expect(
            text
                == "POST https://uptime.betterstack.com/api/v1/heartbeat/<redacted>/fail [Authorization: <redacted>] body: 3 bytes"
        )
        var dumped = ""
        dump(request, to: &dumped)
        #expect(TestSecrets.leaked(in: dumped) == nil)
    }

    @Test(
        "URL redaction",
        arguments: [
            ("https://u:p@host.example/x?a=1", "https://<redacted>@host.example/x?a=1"),
            (
                "https://uptime.betterstack.com/api/v1/heartbeat/abc/3",
                "https://uptime.betterstack.com/api/v1/heartbeat/<redacted>/3"
            ),
            (
                "http://127.0.0.1:9/api/v2/monitors?url=x&api_token=zzz",
                "http://127.0.0.1:9/api/v2/monitors?url=x&api_token=<redacted>"
            ),
            ("/api/v1/heartbeat/abc", "/api/v1/heartbeat/<redacted>"),
            ("https://h/api/v2/monitors?page=2#frag", "https://h/api/v2/monitors?page=2"),
        ]
    )
    func urlRedaction(url: String, expected: String) {
        #expect(URLRedaction.redact(url) == expected)
    }

    @Test("The scrubber replaces secrets anywhere, and ignores trivially short ones")
    func scrubber() {
        let scrubber = SecretScrubber([secret, Secret("ab")])
        #expect(scrubber.scrub("x\(TestSecrets.apiToken)y\(TestSecrets.apiToken)") == "x<redacted>y<redacted>")
        #expect(scrubber.scrub("about") == "about")
    }

    @Test("Heartbeat ping tokens are redacted from free text such as body previews")
    func heartbeatTokensInText() {
        let scrubber = SecretScrubber([])
        #expect(
            scrubber.scrub(#"{"url":"https://uptime.betterstack.com/api/v1/heartbeat/abcd1234abcd","name":"x"}"#)
                == #"{"url":"https://uptime.betterstack.com/api/v1/heartbeat/<redacted>","name":"x"}"#
        )
        #expect(scrubber.scrub("no heartbeat here") == "no heartbeat here")
        #expect(scrubber.scrub("heartbeat/") == "heartbeat/")
    }

    @Test("A truncated heartbeat list does not leak ping tokens through the error's body preview")
    func truncatedHeartbeatList() async throws {
        // Short enough that the whole token falls inside the 60-byte preview of the error detail.
        let body = #"{"data":[{"url":"http://h/heartbeat/\#(TestSecrets.heartbeatToken)","id":"1""#
        let harness = try ClientHarness([.json(200, body)])
        let outcome = await harness.run { client in try await client.heartbeats().description }
        guard case .undecodableBody = outcome.error else {
            Issue.record("expected .undecodableBody, got \(String(describing: outcome.error))")
            return
        }
        #expect(outcome.visibleTexts.allSatisfy { TestSecrets.leaked(in: $0) == nil })
    }
}
