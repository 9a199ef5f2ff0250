#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Logging

/// Ships log records to Better Stack Logs over HTTP (`POST` a JSON array, `202 Accepted`).
///
/// Status mapping: 403 → ``BetterStackError/unauthorized(_:)`` (bad source token),
/// 406 → ``BetterStackError/badRequest(_:)`` (unparseable JSON), 413 →
/// ``BetterStackError/payloadTooLarge(_:)``, 402 (quota) and others →
/// ``BetterStackError/upstreamStatus(_:_:)``, with upstream's plain-text message.
public struct LogsIngestClient: Sendable {
    /// The validated configuration.
    public let configuration: LogsIngestConfiguration
    let executor: RequestExecutor

    /// A client.
    public init(
        configuration: LogsIngestConfiguration,
        transport: any HTTPTransport = AsyncHTTPClientTransport.bridgeDefault,
        logger: Logger,
        observer: UpstreamObserver? = nil,
        sleep: @escaping RetrySleep = { try await Task.sleep(for: $0) }
    ) {
        self.configuration = configuration
        executor = RequestExecutor(
            transport: transport,
            retryPolicy: configuration.retryPolicy,
            timeout: configuration.requestTimeout,
            userAgent: configuration.userAgent,
            logger: logger,
            observer: observer,
            sleep: sleep,
            scrubber: SecretScrubber([configuration.sourceToken]),
            nowMilliseconds: RequestExecutor.systemNowMilliseconds,
            unitRandom: { Double.random(in: 0..<1) }
        )
    }

    /// Sends the records as one JSON array. An empty array sends nothing.
    public func send(_ records: [LogRecord]) async throws {
        guard !records.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body: [UInt8]
        do {
            body = Array(try encoder.encode(records))
        } catch {
            throw BetterStackError.badRequest("cannot encode log records: \(error)")
        }
        do {
            _ = try await executor.perform(
                endpoint: "logs_ingest",
                method: "POST",
                url: configuration.ingestURL,
                headers: [
                    "Authorization": "Bearer \(configuration.sourceToken.reveal())",
                    "Content-Type": "application/json",
                ],
                body: body
            )
        } catch let error as BetterStackError {
            throw Self.logsMeaning(of: error)
        }
    }

    /// The Logs API's statuses mean something else than the Uptime API's.
    static func logsMeaning(of error: BetterStackError) -> BetterStackError {
        switch error {
        case .upstreamStatus(403, let message):
            .unauthorized(message ?? "invalid source token (HTTP 403)")
        case .upstreamStatus(406, let message):
            .badRequest(message ?? "records not accepted as JSON (HTTP 406)")
        case .upstreamStatus(413, let message):
            .payloadTooLarge(message ?? "payload reached size limit (HTTP 413)")
        default:
            error
        }
    }
}
