import BetterStack
import FastCGIRuntime
import FastCGITesting
import Logging
import Sandbox
import TestSupport
import Testing

@testable import Functions

/// The request's logger is current for everything the request causes: a warning an upstream client
/// logs while serving it carries the request's id (and, under FastCGI, reaches nginx's error log
/// with the request), not the client's process logger.
@Suite struct RequestScopedLoggingTests {
    @Test func anUpstreamWarningDuringARequestCarriesItsRequestID() async throws {
        // The bridge's clients log to a logger that drops everything below critical.
        let bridge = try await BridgeUnderTest(pace: UpstreamPace.Settings(rate: 1000, burst: 50))
        defer { Task { await bridge.stop() } }
        bridge.sandbox.setFault(Fault(route: "response_times", status: 429))
        let store = LogStore()
        var requestLogger = store.logger(label: "uptime-bridge")
        requestLogger[metadataKey: "request-id"] = "req-42"
        let response = await bridge.driver.send(
            environment: [
                "REQUEST_METHOD": "GET",
                "DOCUMENT_URI": "/uptime/response_time",
                "QUERY_STRING": "url=https://example.com/&region=us",
            ],
            logger: requestLogger
        )
        #expect(response.status == 503, "\(String(decoding: response.body, as: UTF8.self))")
        let warnings = store.all.filter { $0.hasPrefix("warning") && $0.contains("answered 429") }
        #expect(warnings.count == 1, "\(store.all)")
        #expect(warnings.first?.contains("request-id=req-42") == true, "\(warnings)")
    }
}
