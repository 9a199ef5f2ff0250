#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Logging

/// Ships log records to Better Stack Logs over HTTP (`POST` a JSON array, `202 Accepted`), at
/// most ``LogsIngestConfiguration/maxRequestBytes`` (1 MiB) per request.
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
        sleep: @escaping UpstreamSleep = { try await Task.sleep(for: $0) }
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
            secrets: [configuration.sourceToken]
        )
    }

    /// What one ``send(_:)`` did.
    public struct Delivery: Sendable, Equatable {
        /// Records delivered (answered 202).
        public var delivered = 0
        /// Requests made.
        public var requests = 0
        /// Records dropped because, alone, they do not fit in ``LogsIngestConfiguration/maxRequestBytes``.
        public var oversized = 0

        public init(delivered: Int = 0, requests: Int = 0, oversized: Int = 0) {
            self.delivered = delivered
            self.requests = requests
            self.oversized = oversized
        }
    }

    /// One request's worth of records: a JSON array of at most `maxRequestBytes` bytes.
    struct Chunk: Sendable {
        var body: [UInt8]
        var records: Int
    }

    /// Sends the records as JSON arrays of at most ``LogsIngestConfiguration/maxRequestBytes``
    /// bytes each (1 MiB by default; Better Stack answers 413 above its own limit): a larger batch
    /// becomes several requests, in order, one after the other. An empty array sends nothing.
    ///
    /// A record that alone does not fit under the cap is **dropped and counted**
    /// (``Delivery/oversized``), not truncated: cutting a record would deliver a different event
    /// (and its size may be in any field); the bridge's own records are a few hundred bytes, so
    /// one that large is a bug to see in the count, not a log line to keep.
    ///
    /// When a request fails (after the client's retries) the error is thrown at once: the
    /// requests before it were delivered, the ones after it are not sent.
    @discardableResult
    public func send(_ records: [LogRecord]) async throws -> Delivery {
        let (chunks, oversized) = try split(records)
        var delivery = Delivery(oversized: oversized)
        for chunk in chunks {
            delivery.requests += 1
            try await post(chunk)
            delivery.delivered += chunk.records
        }
        return delivery
    }

    /// The records as request bodies of at most the configured size, in order, and how many
    /// records were too large to send at all.
    func split(_ records: [LogRecord]) throws(BetterStackError) -> (chunks: [Chunk], oversized: Int) {
        try Self.split(records, maxBytes: configuration.maxRequestBytes)
    }

    static func split(
        _ records: [LogRecord],
        maxBytes: Int
    ) throws(BetterStackError) -> (chunks: [Chunk], oversized: Int) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var chunks: [Chunk] = []
        var oversized = 0
        var current = Chunk(body: [UInt8(ascii: "[")], records: 0)
        for record in records {
            let encoded: [UInt8]
            do {
                encoded = Array(try encoder.encode(record))
            } catch {
                throw BetterStackError.badRequest("cannot encode log records: \(error)")
            }
            // `[` + record + `]` must fit on its own.
            guard encoded.count + 2 <= maxBytes else {
                oversized += 1
                continue
            }
            // The current body, a comma, the record and the closing `]`.
            if current.records > 0, current.body.count + 1 + encoded.count + 1 > maxBytes {
                current.body.append(UInt8(ascii: "]"))
                chunks.append(current)
                current = Chunk(body: [UInt8(ascii: "[")], records: 0)
            }
            if current.records > 0 { current.body.append(UInt8(ascii: ",")) }
            current.body.append(contentsOf: encoded)
            current.records += 1
        }
        if current.records > 0 {
            current.body.append(UInt8(ascii: "]"))
            chunks.append(current)
        }
        return (chunks, oversized)
    }

    /// One request.
    func post(_ chunk: Chunk) async throws {
        do {
            _ = try await executor.perform(
                endpoint: "logs_ingest",
                method: "POST",
                url: configuration.ingestURL,
                headers: [
                    "Authorization": "Bearer \(configuration.sourceToken.reveal())",
                    "Content-Type": "application/json",
                ],
                body: chunk.body
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
