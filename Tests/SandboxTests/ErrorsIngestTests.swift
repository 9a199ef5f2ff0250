import Sandbox
import Testing

/// The Better Stack Errors (Sentry envelope) ingest: `X-Sentry-Auth` checked, envelopes parsed by
/// their item lengths, events listed by `GET /_sandbox/errors`.
@Suite("Errors envelope ingest")
struct ErrorsIngestTests {
    static let auth = ("X-Sentry-Auth", "Sentry sentry_version=7, sentry_client=test/1.0, sentry_key=\(SandboxConfiguration.defaultErrorsKey)")

    /// Two items: an attachment (ignored) and an event whose payload holds a newline escape and is
    /// delimited by its length.
    static let envelope = Array(
        (#"{"event_id":"0123456789abcdef0123456789abcdef"}"# + "\n"
            + #"{"type":"attachment","length":5}"# + "\nhello\n"
            + #"{"type":"event","length":64}"# + "\n"
            + #"{"event_id":"0123456789abcdef0123456789abcdef","message":"a\nb"}"# + "\n").utf8
    )

    @Test func anEnvelopeWithTheKeyIsTakenAndListed() async throws {
        try await withSandbox { server in
            let answer = try server.send("/api/1/envelope/", method: "POST", token: nil, headers: [Self.auth], body: Self.envelope)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(try answer.json()["id"] == .string("0123456789abcdef0123456789abcdef"))
            let listed = try server.json("/_sandbox/errors")
            #expect(listed["received"] == .int(1))
            let record = listed["events"]?[0]
            #expect(record?["client"] == .string("test/1.0"))
            #expect(record?["event"]?["message"] == .string("a\nb"))
            #expect(server.requestCount("errors_envelope") == 1)
        }
    }

    @Test func aMissingOrWrongKeyIs401AndABrokenEnvelope400() async throws {
        try await withSandbox { server in
            let none = try server.send("/api/1/envelope/", method: "POST", token: nil, body: Self.envelope)
            #expect(none.status == 401)
            let wrong = try server.send(
                "/api/1/envelope/", method: "POST", token: nil,
                headers: [("X-Sentry-Auth", "Sentry sentry_version=7, sentry_key=nope")], body: Self.envelope
            )
            #expect(wrong.status == 401)
            let broken = try server.send(
                "/api/1/envelope/", method: "POST", token: nil, headers: [Self.auth],
                body: Array("{\"event_id\":\"x\"}\n{\"type\":\"event\",\"length\":999}\n{}".utf8)
            )
            #expect(broken.status == 400)
            #expect(try server.json("/_sandbox/errors")["received"] == .int(0))
        }
    }
}
