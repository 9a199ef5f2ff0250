import AsyncHTTPClient
import BetterStack
import Foundation
import Logging
import NIOCore
import Sandbox
import TestSupport
import Testing

/// Shipping the bridge's own logs to Better Stack Logs, against the sandbox's ingest endpoint.
@Suite struct LogShipperTests {
    static let sourceToken = "logs-source-\(UInt32.random(in: 0...UInt32.max))"

    static func withSandbox(
        maxBodyBytes: Int = SandboxConfiguration.defaultMaxBodyBytes,
        _ body: (SandboxServer, LogsIngestClient) async throws -> Void
    ) async throws {
        let server = try await SandboxServer.start(
            SandboxConfiguration(logsToken: sourceToken, maxBodyBytes: maxBodyBytes),
            logger: Logger(label: "sandbox") { _ in SwiftLogNoOpLogHandler() }
        )
        let client = LogsIngestClient(
            configuration: try LogsIngestConfiguration(
                ingestURL: "http://127.0.0.1:\(server.port)",
                sourceToken: Secret(sourceToken),
                requestTimeout: .seconds(30),
                retryPolicy: .none
            ),
            logger: Logger(label: "ingest") { _ in SwiftLogNoOpLogHandler() }
        )
        do {
            try await body(server, client)
        } catch {
            try? await server.shutdown()
            throw error
        }
        try? await server.shutdown()
    }

    static func received(_ server: SandboxServer) async throws -> [[String: Any]] {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/_sandbox/logs"),
            timeout: .seconds(10)
        )
        let body = try await response.body.collect(upTo: 16 << 20)
        let json = try JSONSerialization.jsonObject(with: Data(Array(body.readableBytesView))) as! [String: Any]
        return (json["logs"] as! [[String: Any]]).map { $0["record"] as! [String: Any] }
    }

    @Test func recordsArriveInBatchesWithDtAndFields() async throws {
        try await Self.withSandbox { server, client in
            let diagnostics = LogStore()
            let shipper = LogShipper(client: client, batchSize: 10, flushInterval: .milliseconds(50), diagnostics: diagnostics.logger())
            shipper.start()
            var logger = Logger(label: "uptime-bridge") { BetterStackLogHandler(label: $0, shipper: shipper, level: .info, host: "node-a") }
            logger[metadataKey: "request-id"] = "r-1"
            for index in 0..<25 { logger.warning("record \(index)", metadata: ["path": "/sla"]) }
            logger.debug("below the level, not shipped")
            await shipper.shutdown(deadline: .seconds(10))
            let records = try await Self.received(server)
            #expect(records.count == 25)
            #expect(shipper.statistics.shipped == 25)
            #expect(shipper.statistics.dropped == 0)
            for record in records {
                let dt = try #require(record["dt"] as? String)
                #expect(ISO8601Timestamp.parseMilliseconds(dt) != nil)
                #expect(record["level"] as? String == "warning")
                #expect(record["host"] as? String == "node-a")
                #expect(record["request-id"] as? String == "r-1")
                #expect(record["path"] as? String == "/sla")
            }
            #expect(Set(records.map { $0["message"] as! String }) == Set((0..<25).map { "record \($0)" }))
            #expect(diagnostics.all.allSatisfy { !$0.contains(Self.sourceToken) })
        }
    }

    @Test func aStalledIngestNeverBlocksLoggingAndMemoryStaysBounded() async throws {
        try await Self.withSandbox { server, client in
            server.setFault(Fault(route: "logs_ingest", latencyMilliseconds: 30_000))
            let shipper = LogShipper(client: client, capacity: 500, batchSize: 100, flushInterval: .milliseconds(10), diagnostics: Logger(label: "d"))
            shipper.start()
            let logger = Logger(label: "uptime-bridge") { BetterStackLogHandler(label: $0, shipper: shipper, level: .info, host: "h") }
            // While the first batch hangs in the stalled ingest, 20,000 records are logged.
            for index in 0..<20_000 { logger.error("record \(index)") }
            let statistics = shipper.statistics
            // Every call returned while the ingest was still stalled (nothing was received yet)…
            let receivedWhileStalled = try await Self.received(server)
            #expect(receivedWhileStalled.isEmpty)
            // …and the buffer never held more than its capacity; the rest was dropped and counted.
            #expect(statistics.buffered <= 500)
            #expect(statistics.dropped >= 20_000 - 500 - 100)
            #expect(statistics.enqueued + statistics.dropped == 20_000)
            server.clearFaults()
            await shipper.shutdown(deadline: .milliseconds(200))
        }
    }

    @Test func aFailingIngestIsCountedNotRetriedForever() async throws {
        try await Self.withSandbox { server, client in
            server.setFault(Fault(route: "logs_ingest", status: 500))
            let diagnostics = LogStore()
            let shipper = LogShipper(client: client, batchSize: 5, flushInterval: .milliseconds(10), diagnostics: diagnostics.logger())
            shipper.start()
            let logger = Logger(label: "x") { BetterStackLogHandler(label: $0, shipper: shipper, level: .info, host: "h") }
            for index in 0..<12 { logger.error("r\(index)") }
            await shipper.shutdown(deadline: .seconds(10))
            #expect(shipper.statistics.failedBatches >= 1)
            #expect(shipper.statistics.dropped == 12)
            #expect(diagnostics.all.count == 1)  // reported once, not once per batch
            #expect(diagnostics.all.allSatisfy { !$0.contains(Self.sourceToken) })
        }
    }

    @Test func largeBatchesAreSplitUnderTheCapAndOversizedRecordsCounted() async throws {
        // The sandbox refuses bodies over 2 MiB; one shipper batch holds about 4 MiB.
        try await Self.withSandbox(maxBodyBytes: 2 << 20) { server, client in
            let diagnostics = LogStore()
            let shipper = LogShipper(
                client: client,
                batchSize: 100,
                flushInterval: .milliseconds(20),
                diagnostics: diagnostics.logger()
            )
            let big = String(repeating: "x", count: 40_000)
            for index in 0..<150 { shipper.enqueue(LogRecord(message: "\(index) \(big)")) }
            shipper.enqueue(LogRecord(message: String(repeating: "y", count: 1_200_000)))  // over 1 MiB alone
            shipper.enqueue(LogRecord(message: "after"))
            shipper.start()
            // Let the background task do it all (a shutdown would cancel a request in flight).
            let deadline = ContinuousClock.now + .seconds(60)
            while shipper.statistics.shipped + shipper.statistics.dropped < 152, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            await shipper.shutdown(deadline: .seconds(10))
            let statistics = shipper.statistics
            #expect(statistics.shipped == 151)
            #expect(statistics.oversized == 1)
            #expect(statistics.dropped == 1)
            #expect(statistics.failedBatches == 0)
            #expect(statistics.requests >= 6)  // 150 × 40 kB in requests of at most 1 MiB

            let logs = try await LogsIngestTests.sandboxLogs(server)
            #expect(logs["too_large"] == .int(0))
            #expect(logs["accepted"] == .int(statistics.requests))
            #expect((logs["largest_request_bytes"]?.intValue ?? .max) <= LogsIngestConfiguration.defaultMaxRequestBytes)
            let messages = (logs["logs"]?.arrayValue ?? []).compactMap { $0["record"]?["message"]?.stringValue }
            #expect(messages == (0..<150).map { "\($0) \(big)" } + ["after"])
            #expect(diagnostics.all.count == 1)
            #expect(diagnostics.all.first?.contains("larger than the Better Stack Logs request cap") == true)
        }
    }
}
