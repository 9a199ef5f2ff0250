import Logging
import Synchronization

/// Reports the bridge's own failures to Better Stack Errors in the background, bounded.
///
/// ``report(_:)`` never blocks and never waits on the network: events go into a small buffer and
/// one background task sends them, at most `batchSize` per `flushInterval`, one envelope per
/// event (an envelope holds one event), in order. When the ingest is slow or down the buffer
/// fills and new events are dropped and counted (``Statistics/dropped``): an error-tracking outage
/// must not slow requests or grow memory, and a storm of failures cannot become a storm of
/// requests. A failed send drops the rest of its batch (the ingest is failing; do not hammer it),
/// counted in ``Statistics/failed``; a 429 also pauses sending for its `Retry-After` (else 60 s),
/// events arriving meanwhile being dropped. Failures go to `diagnostics` at most once a minute.
public final class ErrorReporter: Sendable {
    public struct Statistics: Sendable, Equatable {
        public var enqueued = 0
        /// Events the ingest took (2xx).
        public var sent = 0
        /// Events never sent: buffer full, paused after a 429, or lost with a failed batch.
        public var dropped = 0
        /// Sends that failed (each also drops the rest of its batch).
        public var failed = 0
        public var buffered = 0
    }

    /// What only the reporter counts; the buffer's counts are ``BackgroundBatches``'.
    private struct Delivery {
        var sent = 0
        var failed = 0
        var pausedUntil: ContinuousClock.Instant?
    }

    public let dsn: ErrorsDSN
    public let origin: ErrorEvent.Origin
    public var capacity: Int { batches.capacity }
    public var batchSize: Int { batches.batchSize }
    public var flushInterval: Duration { batches.flushInterval }
    private let executor: RequestExecutor
    private let client: String
    private let batches: BackgroundBatches<ErrorEvent>
    private let delivery = Mutex(Delivery())

    public init(
        dsn: ErrorsDSN,
        origin: ErrorEvent.Origin,
        transport: any HTTPTransport = AsyncHTTPClientTransport.bridgeDefault,
        capacity: Int = 100,
        batchSize: Int = 10,
        flushInterval: Duration = .seconds(1),
        timeout: Duration = .seconds(5),
        diagnostics: Logger
    ) {
        self.dsn = dsn
        self.origin = origin
        batches = BackgroundBatches(
            capacity: capacity, batchSize: batchSize, flushInterval: flushInterval,
            pace: .oneBatchPerInterval, diagnostics: diagnostics
        )
        self.client = "uptime-bridge/" + (origin.release.split(separator: "@").last.map(String.init) ?? "0")
        executor = RequestExecutor(
            transport: transport,
            retryPolicy: .none,
            timeout: timeout,
            userAgent: client,
            logger: diagnostics,
            observer: nil,
            sleep: { try await Task.sleep(for: $0) },
            secrets: [dsn.publicKey]
        )
    }

    /// Starts the background sender (idempotent).
    public func start() {
        batches.start { [self] in await self.send($0) }
    }

    /// Adds an event; drops it (counted) when the buffer is full or sending is paused. O(1).
    public func report(_ event: ErrorEvent) {
        let paused = delivery.withLock { $0.pausedUntil.map { ContinuousClock.now < $0 } ?? false }
        if paused { batches.countDropped(1) } else { batches.enqueue(event) }
    }

    public var statistics: Statistics {
        let counts = batches.counts
        return delivery.withLock { delivery in
            Statistics(
                enqueued: counts.enqueued, sent: delivery.sent, dropped: counts.dropped,
                failed: delivery.failed, buffered: counts.buffered
            )
        }
    }

    /// Sends what is buffered (bounded by `deadline`) and stops the background task; what is left
    /// at the deadline is dropped and counted. The background task's batch in flight is awaited,
    /// not cancelled, so its outcome is counted before this returns.
    public func shutdown(deadline: Duration = .seconds(2)) async {
        await batches.shutdown(deadline: deadline) { [self] in await self.send($0) }
    }

    /// Sends a batch, one envelope per event, in order; false when a send failed (the rest of the
    /// batch is dropped and counted: the ingest is failing, do not hammer it).
    private func send(_ batch: [ErrorEvent]) async -> Bool {
        for (index, event) in batch.enumerated() {
            do {
                _ = try await executor.perform(
                    endpoint: "errors_envelope",
                    method: "POST",
                    url: dsn.envelopeURL,
                    headers: [
                        "X-Sentry-Auth": dsn.authHeader(client: client),
                        "Content-Type": "application/x-sentry-envelope",
                    ],
                    body: event.envelope(origin: origin)
                )
                delivery.withLock { $0.sent += 1 }
            } catch {
                let lost = batch.count - index
                var pause: Duration?
                if case .rateLimited(let retryAfter)? = error as? BetterStackError { pause = retryAfter ?? .seconds(60) }
                delivery.withLock { delivery in
                    delivery.failed += 1
                    if let pause { delivery.pausedUntil = ContinuousClock.now + pause }
                }
                batches.countDropped(lost)
                batches.warn(
                    "Better Stack Errors did not take an event; events are dropped while it fails",
                    metadata: ["error": "\(error)", "dropped": "\(lost)"]
                )
                return false
            }
        }
        return true
    }
}
