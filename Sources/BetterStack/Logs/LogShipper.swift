import Logging
import Synchronization

/// Ships log records to Better Stack Logs in the background, in batches, with bounded memory.
///
/// ``enqueue(_:)`` never blocks and never waits on the network: records go into a bounded buffer and
/// one background task sends them (at most `batchSize` per request, at least every `flushInterval`).
/// When the ingest is slow or down and the buffer is full, new records are dropped and counted
/// (``Statistics/dropped``) — a logging outage must not slow requests or grow memory. A batch goes
/// out as one or more requests of at most ``LogsIngestConfiguration/maxRequestBytes`` (1 MiB), in
/// order (see ``LogsIngestClient/send(_:)``); a record too large for any request is dropped and
/// counted (``Statistics/oversized``). A request that fails after the client's retries drops its
/// records and the rest of its batch, counted as well. Failures are reported to the
/// `diagnostics` logger, which must not itself ship (no recursion), at most once a minute.
public final class LogShipper: Sendable {
    public struct Statistics: Sendable, Equatable {
        public var enqueued = 0
        public var shipped = 0
        /// Every record not shipped: buffer full, failed requests, oversized records.
        public var dropped = 0
        /// Batches that failed (a request failed after the client's retries; the rest of the batch was dropped).
        public var failedBatches = 0
        public var buffered = 0
        /// Records dropped because alone they exceed the request size cap (also in ``dropped``).
        public var oversized = 0
        /// Ingest requests that were answered 2xx.
        public var requests = 0
    }

    /// What only the shipper counts; the buffer's counts are ``BackgroundBatches``'.
    private struct Delivery {
        var shipped = 0
        var failedBatches = 0
        var oversized = 0
        var requests = 0
    }

    public var capacity: Int { batches.capacity }
    public var batchSize: Int { batches.batchSize }
    public var flushInterval: Duration { batches.flushInterval }
    private let client: LogsIngestClient
    private let batches: BackgroundBatches<LogRecord>
    private let delivery = Mutex(Delivery())

    public init(
        client: LogsIngestClient,
        capacity: Int = 2000,
        batchSize: Int = 250,
        flushInterval: Duration = .seconds(1),
        diagnostics: Logger
    ) {
        self.client = client
        batches = BackgroundBatches(
            capacity: capacity, batchSize: batchSize, flushInterval: flushInterval,
            pace: .drainEachInterval, diagnostics: diagnostics
        )
    }

    /// Starts the background sender (idempotent).
    public func start() {
        batches.start { [self] in await self.send($0) }
    }

    /// Adds a record; drops it (counted) when the buffer is full. O(1), never blocks on I/O.
    public func enqueue(_ record: LogRecord) {
        batches.enqueue(record)
    }

    public var statistics: Statistics {
        let counts = batches.counts
        return delivery.withLock { delivery in
            Statistics(
                enqueued: counts.enqueued, shipped: delivery.shipped, dropped: counts.dropped,
                failedBatches: delivery.failedBatches, buffered: counts.buffered,
                oversized: delivery.oversized, requests: delivery.requests
            )
        }
    }

    /// Sends what is buffered (bounded by `deadline`) and stops the background task; what is left
    /// at the deadline is dropped and counted.
    ///
    /// A batch the background task is posting is awaited, not cancelled (cancelling it would drop
    /// records already taken from the buffer); only at the deadline is anything still running
    /// cancelled. Once stopped, the background task takes no new batch, so none can start behind
    /// this function's back.
    public func shutdown(deadline: Duration = .seconds(2)) async {
        await batches.shutdown(deadline: deadline) { [self] in await self.send($0) }
    }

    /// Sends one batch as one or more requests; a failed request drops the rest of the batch.
    private func send(_ batch: [LogRecord]) async -> Bool {
        let chunks: [LogsIngestClient.Chunk]
        do {
            let split = try client.split(batch)
            chunks = split.chunks
            if split.oversized > 0 {
                delivery.withLock { $0.oversized += split.oversized }
                batches.countDropped(split.oversized)
                batches.warn(
                    "a log record larger than the Better Stack Logs request cap was dropped",
                    metadata: [
                        "records": "\(split.oversized)", "cap_bytes": "\(client.configuration.maxRequestBytes)",
                    ]
                )
            }
        } catch {
            fail(records: batch.count, error: error)
            return !Task.isCancelled
        }
        for (index, chunk) in chunks.enumerated() {
            do {
                try await client.post(chunk)
                delivery.withLock { delivery in
                    delivery.shipped += chunk.records
                    delivery.requests += 1
                }
            } catch {
                // The rest of the batch goes with it: the ingest is failing, do not hammer it.
                fail(records: chunks[index...].reduce(0) { $0 + $1.records }, error: error)
                if Task.isCancelled { return false }
                break
            }
        }
        return true
    }

    private func fail(records: Int, error: any Error) {
        delivery.withLock { $0.failedBatches += 1 }
        batches.countDropped(records)
        batches.warn(
            "shipping logs to Better Stack failed; records dropped",
            metadata: ["error": "\(error)", "records": "\(records)"]
        )
    }
}

/// A swift-log handler that turns records into Better Stack Logs events (`dt`, `level`, `message`,
/// `logger`, `host` and the metadata as fields) and hands them to a ``LogShipper``.
public struct BetterStackLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let host: String
    let shipper: LogShipper
    let now: @Sendable () -> Int64

    public init(
        label: String,
        shipper: LogShipper,
        level: Logger.Level = .notice,
        host: String,
        now: @escaping @Sendable () -> Int64 = BetterStackLogHandler.systemNow
    ) {
        self.label = label
        self.shipper = shipper
        self.logLevel = level
        self.host = host
        self.now = now
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: LogFieldValue] = [
            "level": .string(event.level.rawValue),
            "logger": .string(label),
            "host": .string(host),
        ]
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        for (key, value) in merged where fields[key] == nil {
            fields[key] = .string("\(value)")
        }
        shipper.enqueue(LogRecord(message: "\(event.message)", atMilliseconds: now(), fields: fields))
    }
}

extension BetterStackLogHandler {
    /// Milliseconds since the epoch.
    public static let systemNow: @Sendable () -> Int64 = { UpstreamPipeline.systemNowMilliseconds() }
}
