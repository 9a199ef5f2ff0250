import BetterStack
import TestSupport
import Testing

@Suite("The bridge's default HTTP client fails fast on a dead upstream")
struct BridgeDefaultTransportTests {
    private func refusedRequest(port: UInt16, timeout: Duration) -> HTTPTransportRequest {
        HTTPTransportRequest(method: "GET", url: "http://127.0.0.1:\(port)/api/v2/monitors", timeout: timeout)
    }

    // The bounds below are far from the 30 s deadline on purpose: they tell "failed at once" from
    // "waited out the deadline" even on a loaded CI machine.
    @Test("A refused connection is .connectionFailed long before the deadline")
    func refusedFailsFast() async throws {
        let port = try LoopbackServer.closedPort()
        let started = ContinuousClock.now
        do {
            _ = try await AsyncHTTPClientTransport.bridgeDefault.send(refusedRequest(port: port, timeout: .seconds(30)))
            Issue.record("expected a failure")
        } catch let error as HTTPTransportError {
            guard case .connectionFailed = error else {
                Issue.record("expected .connectionFailed, got \(error)")
                return
            }
            #expect(error.isRetryable)
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(5), "took \(elapsed)")
    }

    @Test("Through the client, three attempts at a refused port end in .transport long before the deadline")
    func clientRefusedFailsFast() async throws {
        let port = try LoopbackServer.closedPort()
        let logs = LogStore()
        let events = EventRecorder()
        let client = BetterStackClient(
            configuration: try BetterStackConfiguration(
                baseURL: "http://127.0.0.1:\(port)",
                token: Secret(TestSecrets.apiToken),
                requestTimeout: .seconds(30),
                retryPolicy: RetryPolicy.betterStack.with(maxAttempts: 3).backingOff(base: .milliseconds(10), cap: .milliseconds(20))
            ),
            logger: logs.logger(),
            observer: events.observer
        )
        let started = ContinuousClock.now
        do {
            _ = try await client.monitors()
            Issue.record("expected a failure")
        } catch let error as BetterStackError {
            guard case .transport(let detail) = error else {
                Issue.record("expected .transport, got \(error)")
                return
            }
            #expect(detail.contains("connection failed"), "\(detail)")
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(10), "took \(elapsed)")
        #expect(events.all.map(\.outcomeLabel) == ["connection_failed", "connection_failed", "connection_failed"])
        #expect(logs.all.allSatisfy { TestSecrets.leaked(in: $0) == nil })
    }

    /// The reason the bridge has its own client. If this starts failing after an AsyncHTTPClient
    /// upgrade, `HTTPClient.shared` no longer retries refused connections until the deadline and
    /// ``AsyncHTTPClientTransport/bridgeHTTPClient`` may be worth revisiting.
    @Test("Negative control: HTTPClient.shared spends the whole deadline on a refused connection")
    func sharedClientWaitsOutTheDeadline() async throws {
        let port = try LoopbackServer.closedPort()
        let transport = AsyncHTTPClientTransport(client: .shared)
        let started = ContinuousClock.now
        await #expect(throws: HTTPTransportError.self) {
            try await transport.send(refusedRequest(port: port, timeout: .milliseconds(800)))
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(600), "took \(elapsed)")
    }

    @Test("The bridge configuration: no connect retries, 2 s connect timeout, bounded pool")
    func configuration() {
        let configuration = AsyncHTTPClientTransport.bridgeConfiguration
        #expect(configuration.connectionPool.retryConnectionEstablishment == false)
        #expect(configuration.timeout.connect == .seconds(2))
        #expect(configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit == 8)
        #expect(configuration.connectionPool.idleTimeout == .seconds(30))
    }
}
