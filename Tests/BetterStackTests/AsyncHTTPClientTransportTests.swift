import BetterStack
import TestSupport
import Testing

@Suite("AsyncHTTPClientTransport against a loopback server", .serialized)
struct AsyncHTTPClientTransportTests {
    let transport = AsyncHTTPClientTransport()

    func request(_ url: String, timeout: Duration = .seconds(5), maxResponseBytes: Int = 1 << 20)
        -> HTTPTransportRequest
    {
        HTTPTransportRequest(
            method: "GET",
            url: url,
            headers: ["Accept": "application/json"],
            timeout: timeout,
            maxResponseBytes: maxResponseBytes
        )
    }

    @Test("A normal response comes back with status, headers and body")
    func ok() async throws {
        let body = #"{"data":[]}"#
        let server = try LoopbackServer(
            .respond(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Test: yes\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            )
        )
        defer { server.stop() }
        let response = try await transport.send(request(server.baseURL + "/api/v2/monitors"))
        #expect(response.status == 200)
        #expect(response.headers["x-test"] == "yes")
        #expect(response.body == Array(body.utf8))
    }

    @Test("No answer within the timeout is .timeout")
    func timeout() async throws {
        let server = try LoopbackServer(.hang)
        defer { server.stop() }
        await #expect(throws: HTTPTransportError.timeout) {
            try await transport.send(request(server.baseURL + "/slow", timeout: .milliseconds(300)))
        }
    }

    @Test("A closed port is .connectionFailed")
    func refused() async throws {
        let port = try LoopbackServer.closedPort()
        do {
            // The default (bridge) client fails at once; the short deadline bounds a regression.
            _ = try await transport.send(request("http://127.0.0.1:\(port)/", timeout: .seconds(1)))
            Issue.record("expected a failure")
        } catch let error as HTTPTransportError {
            guard case .connectionFailed = error else {
                Issue.record("expected .connectionFailed, got \(error)")
                return
            }
            #expect(error.isRetryable)
        }
    }

    @Test("A reset connection is .connectionReset")
    func reset() async throws {
        let server = try LoopbackServer(.reset)
        defer { server.stop() }
        do {
            _ = try await transport.send(request(server.baseURL + "/"))
            Issue.record("expected a failure")
        } catch let error as HTTPTransportError {
            #expect(error == .connectionReset, "got \(error)")
        }
    }

    @Test("A connection closed before the announced body is complete is .connectionReset")
    func closedMidBody() async throws {
        let server = try LoopbackServer(
            .respond("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"data\":[")
        )
        defer { server.stop() }
        do {
            _ = try await transport.send(request(server.baseURL + "/"))
            Issue.record("expected a failure")
        } catch let error as HTTPTransportError {
            #expect(error == .connectionReset, "got \(error)")
            #expect(error.isRetryable)
        }
    }

    @Test("A body above maxResponseBytes is .responseTooLarge")
    func tooLarge() async throws {
        let body = String(repeating: "x", count: 5000)
        let server = try LoopbackServer(
            .respond("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n\(body)")
        )
        defer { server.stop() }
        await #expect(throws: HTTPTransportError.responseTooLarge(limit: 1000)) {
            try await transport.send(request(server.baseURL + "/", maxResponseBytes: 1000))
        }
    }

    @Test("The client works end to end over the real transport")
    func endToEnd() async throws {
        let body = String(decoding: try Fixtures.bytes("sla.json"), as: UTF8.self)
        let server = try LoopbackServer(
            .respond(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            )
        )
        defer { server.stop() }
        let logs = LogStore()
        let client = BetterStackClient(
            configuration: try BetterStackConfiguration(baseURL: server.baseURL, token: Secret(TestSecrets.apiToken)),
            logger: logs.logger()
        )
        let sla = try await client.sla(monitorID: "258338", from: UTCDay("2026-04-01"), to: UTCDay("2026-04-30"))
        #expect(sla.availability == 99.98)
        #expect(logs.all.allSatisfy { TestSecrets.leaked(in: $0) == nil })
    }
}
