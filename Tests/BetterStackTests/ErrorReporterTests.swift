import AsyncHTTPClient
import BetterStack
import Foundation
import Logging
import NIOCore
import Sandbox
import TestSupport
import Testing

/// Better Stack Errors (Sentry envelopes) against the sandbox's envelope ingest.
@Suite struct ErrorReporterTests {
    static let origin = ErrorEvent.Origin(release: "uptime-bridge@9.9.9", serverName: "node-a")

    static func withSandbox(_ body: (SandboxServer) async throws -> Void) async throws {
        let server = try await SandboxServer.start(
            SandboxConfiguration(),
            logger: Logger(label: "sandbox") { _ in SwiftLogNoOpLogHandler() }
        )
        do {
            try await body(server)
        } catch {
            try? await server.shutdown()
            throw error
        }
        try? await server.shutdown()
    }

    static func dsn(_ server: SandboxServer, key: String = SandboxConfiguration.defaultErrorsKey) throws -> ErrorsDSN {
        try ErrorsDSN(parsing: "http://\(key)@127.0.0.1:\(server.port)/1")
    }

    static func received(_ server: SandboxServer) async throws -> [[String: Any]] {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/_sandbox/errors"),
            timeout: .seconds(10)
        )
        let body = try await response.body.collect(upTo: 16 << 20)
        let json = try JSONSerialization.jsonObject(with: Data(Array(body.readableBytesView))) as! [String: Any]
        return (json["events"] as! [[String: Any]]).map { $0["event"] as! [String: Any] }
    }

    @Test func dsnsAsTheProductShowsThem() throws {
        let plain = try ErrorsDSN(parsing: "https://AbC123xyz@s1234567.eu-nbg-2.betterstackdata.com/1")
        #expect(plain.envelopeURL == "https://s1234567.eu-nbg-2.betterstackdata.com/api/1/envelope/")
        #expect(plain.publicKey.reveal() == "AbC123xyz" && plain.projectID == "1")
        let legacy = try ErrorsDSN(parsing: " https://key1:secret2@errors.example.com:8443/prefix/42 ")
        #expect(legacy.envelopeURL == "https://errors.example.com:8443/prefix/api/42/envelope/")
        #expect(legacy.publicKey.reveal() == "key1")
        #expect(!"\(legacy)".contains("key1") && !"\(legacy)".contains("secret2"))
        for bad in ["", "ftp://k@h/1", "https://h/1", "https://k@h", "https://k@h/", "https://k@/1", "https://k y@h/1", "https://k@h/1?x"] {
            #expect(throws: BetterStackError.self, "\(bad)") { try ErrorsDSN(parsing: bad) }
        }
    }

    @Test func anEventArrivesWithItsFieldsAndTheKeyOnlyInTheHeader() async throws {
        try await Self.withSandbox { server in
            let reporter = ErrorReporter(
                dsn: try Self.dsn(server), origin: Self.origin, flushInterval: .milliseconds(20), diagnostics: LogStore().logger()
            )
            reporter.start()
            reporter.report(ErrorEvent(type: "InternalDetail", message: "GET /sla answered 500", tags: ["route": "/sla", "request_id": "r-1"]))
            await reporter.shutdown(deadline: .seconds(10))
            #expect(reporter.statistics.sent == 1 && reporter.statistics.dropped == 0)
            let events = try await Self.received(server)
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event["level"] as? String == "error" && event["platform"] as? String == "other")
            #expect(event["release"] as? String == "uptime-bridge@9.9.9" && event["server_name"] as? String == "node-a")
            #expect((event["tags"] as? [String: String]) == ["route": "/sla", "request_id": "r-1"])
            let values = (event["exception"] as? [String: Any])?["values"] as? [[String: Any]]
            #expect(values?.first?["type"] as? String == "InternalDetail")
            #expect((event["event_id"] as? String)?.count == 32)
            #expect(!"\(event)".contains(SandboxConfiguration.defaultErrorsKey))
        }
    }

    @Test func aWrongKeyIsAFailedSendCountedAndReportedOnce() async throws {
        try await Self.withSandbox { server in
            let diagnostics = LogStore()
            let reporter = ErrorReporter(
                dsn: try Self.dsn(server, key: "wrongkey"), origin: Self.origin, flushInterval: .milliseconds(20),
                diagnostics: diagnostics.logger()
            )
            reporter.start()
            for index in 0..<3 { reporter.report(ErrorEvent(type: "T", message: "m\(index)")) }
            await reporter.shutdown(deadline: .seconds(10))
            let statistics = reporter.statistics
            #expect(statistics.sent == 0 && statistics.failed >= 1 && statistics.dropped == 3, "\(statistics)")
            #expect(try await Self.received(server).isEmpty)
            #expect(diagnostics.all.filter { $0.contains("Better Stack Errors") }.count == 1)
            #expect(!diagnostics.all.joined().contains("wrongkey"))
        }
    }

    /// A stalled ingest: report() returns at once, the buffer holds at most its capacity, the rest
    /// is dropped and counted, and shutdown gives up at its deadline.
    @Test func aStalledIngestNeverBlocksAndDropsBeyondTheBuffer() async throws {
        try await Self.withSandbox { server in
            server.setFault(Fault(route: "errors_envelope", latencyMilliseconds: 60_000))
            let reporter = ErrorReporter(
                dsn: try Self.dsn(server), origin: Self.origin, capacity: 20, batchSize: 5,
                flushInterval: .milliseconds(10), timeout: .seconds(30), diagnostics: LogStore().logger()
            )
            reporter.start()
            try await Task.sleep(for: .milliseconds(50))
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                for index in 0..<500 { reporter.report(ErrorEvent(type: "T", message: "m\(index)")) }
            }
            #expect(elapsed < .seconds(1))
            let statistics = reporter.statistics
            // The buffer (20) and at most one batch in flight (5).
            #expect(statistics.enqueued <= 25 && statistics.buffered <= 20, "\(statistics)")
            #expect(statistics.dropped >= 475, "\(statistics)")
            let shutdown = await clock.measure { await reporter.shutdown(deadline: .milliseconds(300)) }
            #expect(shutdown < .seconds(5))
            #expect(reporter.statistics.sent == 0)
        }
    }

    /// The envelope the reporter writes is what the sandbox's parser (written from Sentry's
    /// envelope documentation, not from the reporter) reads back.
    @Test func theEnvelopeHasAHeaderAnItemHeaderWithTheLengthAndThePayload() throws {
        let event = ErrorEvent(type: "PushFailed", message: "push failed: \"quoted\"\nline", tags: ["exit_code": "1"], timestamp: 1_700_000_000.5)
        let bytes = event.envelope(origin: Self.origin)
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty)
        let header = try JSONSerialization.jsonObject(with: Data(lines[0])) as? [String: Any]
        #expect(header?["event_id"] as? String == event.eventID)
        let item = try JSONSerialization.jsonObject(with: Data(lines[1])) as? [String: Any]
        #expect(item?["type"] as? String == "event" && item?["length"] as? Int == lines[2].count)
        let payload = try JSONSerialization.jsonObject(with: Data(lines[2])) as? [String: Any]
        #expect((payload?["message"] as? [String: Any])?["formatted"] as? String == "push failed: \"quoted\"\nline")
        #expect(payload?["timestamp"] as? Double == 1_700_000_000.5)
    }
}
