import BetterStack
import Testing

@Suite("Client maps upstream errors to typed errors")
struct ClientErrorTests {
    @Test("401 becomes .unauthorized with upstream's message, not retried")
    func unauthorized() async throws {
        let outcome = try await Scenarios.unauthorized()
        guard case .unauthorized(let message) = outcome.error else {
            Issue.record("expected .unauthorized, got \(String(describing: outcome.error))")
            return
        }
        #expect(message.hasPrefix("Invalid Team API token."))
        #expect(outcome.requests.count == 1)
        #expect(outcome.waits.isEmpty)
    }

    @Test("404 becomes .notFound with upstream's message")
    func notFound() async throws {
        let outcome = try await Scenarios.notFound()
        #expect(outcome.error == .notFound("Resource with provided ID was not found"))
        #expect(outcome.requests.count == 1)
        #expect(outcome.requests.first?.url == "https://uptime.example.test/api/v2/monitors/999")
    }

    @Test("400 on an SLA range becomes .badRequest with the range message")
    func badRequest() async throws {
        let outcome = try await Scenarios.slaBadRange()
        guard case .badRequest(let message) = outcome.error else {
            Issue.record("expected .badRequest, got \(String(describing: outcome.error))")
            return
        }
        #expect(message.hasPrefix("The data range is invalid."))
        #expect(
            outcome.requests.first?.url
                == "https://uptime.example.test/api/v2/monitors/41/sla?from=2026-05-03&to=2026-05-01"
        )
    }

    @Test("422 with a field map becomes .validationFailed with the fields")
    func validation() async throws {
        let outcome = try await Scenarios.validationFailed()
        #expect(
            outcome.error == .validationFailed(message: "name: Can't be blank.", fields: ["name": ["Can't be blank."]])
        )
    }

    @Test("422 with a string message keeps the message")
    func validationString() async throws {
        let harness = try ClientHarness([.json(422, #"{"errors":"Sorry, you misspelled some attributes"}"#)])
        let outcome = await harness.run { client in try await client.monitors().description }
        #expect(outcome.error == .validationFailed(message: "Sorry, you misspelled some attributes", fields: [:]))
    }

    @Test("Other 4xx are not retried and keep their status")
    func otherClientError() async throws {
        let harness = try ClientHarness([.json(403, #"{"errors":"Forbidden"}"#)])
        let outcome = await harness.run { client in try await client.statusPages().description }
        #expect(outcome.error == .upstreamStatus(403, "Forbidden"))
        #expect(outcome.requests.count == 1)
    }

    @Test("A truncated success body is .undecodableBody")
    func truncated() async throws {
        let outcome = try await Scenarios.truncatedBody()
        guard case .undecodableBody(let detail) = outcome.error else {
            Issue.record("expected .undecodableBody, got \(String(describing: outcome.error))")
            return
        }
        #expect(detail.contains("bytes"))
        #expect(outcome.requests.count == 1)
    }

    @Test("A non-JSON success body (HTML) is .undecodableBody naming it")
    func nonJSON() async throws {
        let outcome = try await Scenarios.nonJSONBody()
        guard case .undecodableBody(let detail) = outcome.error else {
            Issue.record("expected .undecodableBody, got \(String(describing: outcome.error))")
            return
        }
        #expect(detail.contains("not valid JSON"))
        #expect(detail.contains("<!DOCTYPE html>"))
    }

    @Test("JSON of the wrong shape is .undecodableBody")
    func wrongShape() async throws {
        let harness = try ClientHarness([.json(200, #"{"monitors":[]}"#)])
        let outcome = await harness.run { client in try await client.monitors().description }
        guard case .undecodableBody(let detail) = outcome.error else {
            Issue.record("expected .undecodableBody, got \(String(describing: outcome.error))")
            return
        }
        #expect(detail.contains("data"))
    }

    @Test("An upstream that echoes the token gets it scrubbed from the error")
    func echoedToken() async throws {
        let outcome = try await Scenarios.upstreamEchoesToken()
        #expect(outcome.error == .unauthorized("Invalid Team API token <redacted>."))
    }

    @Test("Ids that could escape the path are encoded or rejected")
    func pathInjection() async throws {
        let harness = try ClientHarness([.bytes(200, try Fixtures.bytes("monitor.json"))])
        _ = await harness.run { client in try await client.monitor(id: "../heartbeats?x=1").id }
        #expect(
            harness.transport.requests.first?.url
                == "https://uptime.example.test/api/v2/monitors/..%2Fheartbeats%3Fx%3D1"
        )

        let rejected = await harness.run { client in try await client.monitor(id: "..").id }
        #expect(rejected.error == .badRequest("invalid monitor id"))
        #expect(harness.transport.requests.count == 1)
    }
}
