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

    private struct State {
        var buffer: [LogRecord] = []
        var statistics = Statistics()
        var stopped = false
        /// The background task is posting a batch it took (shutdown lets it finish).
        var backgroundSending = false
        var lastFailureReport: ContinuousClock.Instant? = nil
    }

    public let capacity: Int
    public let batchSize: Int
    public let flushInterval: Duration
    private let client: LogsIngestClient
    private let diagnostics: Logger
    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)

    public init(
        client: LogsIngestClient,
        capacity: Int = 2000,
        batchSize: Int = 250,
        flushInterval: Duration = .seconds(1),
        diagnostics: Logger
    ) {
        self.client = client
        self.capacity = max(1, capacity)
        self.batchSize = max(1, batchSize)
        self.flushInterval = flushInterval
        self.diagnostics = diagnostics
    }

    /// Starts the background sender (idempotent).
    public func start() {
        task.withLock { current in
            guard current == nil else { return }
            current = Task.detached { [self] in await self.run() }
        }
    }

    /// Adds a record; drops it (counted) when the buffer is full. O(1), never blocks on I/O.
    public func enqueue(_ record: LogRecord) {
        state.withLock { state in
            guard !state.stopped, state.buffer.count < capacity else {
                state.statistics.dropped += 1
                return
            }
            state.buffer.append(record)
            state.statistics.enqueued += 1
        }
    }

    public var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.buffered = state.buffer.count
            return statistics
        }
    }

    /// Sends what is buffered (bounded by `deadline`) and stops the background task.
    ///
    /// A batch the background task is posting is awaited, not cancelled (cancelling it would drop
    /// records already taken from the buffer); only at the deadline is anything still running
    /// cancelled. Once stopped, the background task takes no new batch, so none can start behind
    /// this function's back.
    public func shutdown(deadline: Duration = .seconds(2)) async {
        let clock = ContinuousClock()
        let end = clock.now + deadline
        state.withLock { $0.stopped = true }
        let running = task.withLock { $0 }
        while state.withLock({ $0.backgroundSending }), clock.now < end {
            try? await Task.sleep(for: .milliseconds(5))
        }
        running?.cancel()
        let remaining = end - clock.now
        guard remaining > .zero else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                while await self.sendOneBatch(background: false) {}
            }
            group.addTask { try? await Task.sleep(for: remaining) }
            await group.next()
            group.cancelAll()
        }
    }

    private func run() async {
        while !Task.isCancelled {
            while await sendOneBatch(background: true) {}
            try? await Task.sleep(for: flushInterval)
        }
    }

    /// Sends up to one batch (one or more requests); false when there was nothing to send. The
    /// background task takes nothing once ``shutdown(deadline:)`` has begun.
    private func sendOneBatch(background: Bool) async -> Bool {
        let batch: [LogRecord] = state.withLock { state in
            if background && state.stopped { return [] }
            let count = min(batchSize, state.buffer.count)
            defer { state.buffer.removeFirst(count) }
            if background && count > 0 { state.backgroundSending = true }
            return Array(state.buffer.prefix(count))
        }
        guard !batch.isEmpty else { return false }
        defer { if background { state.withLock { $0.backgroundSending = false } } }
        let chunks: [LogsIngestClient.Chunk]
        do {
            let split = try client.split(batch)
            chunks = split.chunks
            if split.oversized > 0 {
                state.withLock { state in
                    state.statistics.oversized += split.oversized
                    state.statistics.dropped += split.oversized
                }
                report(
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
                state.withLock { state in
                    state.statistics.shipped += chunk.records
                    state.statistics.requests += 1
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
        state.withLock { state in
            state.statistics.failedBatches += 1
            state.statistics.dropped += records
        }
        report(
            "shipping logs to Better Stack failed; records dropped",
            metadata: ["error": "\(error)", "records": "\(records)"]
        )
    }

    /// A warning on the diagnostics logger, at most once a minute.
    private func report(_ message: Logger.Message, metadata: Logger.Metadata) {
        let due = state.withLock { state -> Bool in
            let now = ContinuousClock.now
            if let last = state.lastFailureReport, now - last < .seconds(60) { return false }
            state.lastFailureReport = now
            return true
        }
        if due { diagnostics.warning(message, metadata: metadata) }
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
