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

    private struct State {
        var buffer: [ErrorEvent] = []
        var statistics = Statistics()
        var stopped = false
        /// ``shutdown(deadline:)`` has begun: the background loop ends after its current batch.
        var stopping = false
        var pausedUntil: ContinuousClock.Instant?
        var lastFailureReport: ContinuousClock.Instant?
    }

    public let dsn: ErrorsDSN
    public let origin: ErrorEvent.Origin
    public let capacity: Int
    public let batchSize: Int
    public let flushInterval: Duration
    private let executor: RequestExecutor
    private let client: String
    private let diagnostics: Logger
    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)

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
        self.capacity = max(1, capacity)
        self.batchSize = max(1, batchSize)
        self.flushInterval = flushInterval
        self.diagnostics = diagnostics
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
        task.withLock { current in
            guard current == nil else { return }
            current = Task.detached { [self] in await self.run() }
        }
    }

    /// Adds an event; drops it (counted) when the buffer is full or sending is paused. O(1).
    public func report(_ event: ErrorEvent) {
        state.withLock { state in
            let paused = state.pausedUntil.map { ContinuousClock.now < $0 } ?? false
            guard !state.stopped, !paused, state.buffer.count < capacity else {
                state.statistics.dropped += 1
                return
            }
            state.buffer.append(event)
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

    /// Sends what is buffered (bounded by `deadline`) and stops the background task; what is left
    /// at the deadline is dropped and counted. The background task's batch in flight is awaited,
    /// not cancelled, so its outcome is counted before this returns.
    public func shutdown(deadline: Duration = .seconds(2)) async {
        let running = task.withLock { $0 }
        state.withLock { $0.stopping = true }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                // At the deadline the batch in flight is cancelled too (a stalled ingest).
                await withTaskCancellationHandler {
                    await running?.value
                } onCancel: {
                    running?.cancel()
                }
                while !Task.isCancelled, await self.sendOneBatch() {}
            }
            group.addTask { try? await Task.sleep(for: deadline) }
            await group.next()
            group.cancelAll()
        }
        state.withLock { state in
            state.stopped = true
            state.statistics.dropped += state.buffer.count
            state.buffer.removeAll()
        }
    }

    private func run() async {
        while !Task.isCancelled, !state.withLock({ $0.stopping }) {
            _ = await sendOneBatch()
            try? await Task.sleep(for: flushInterval)
        }
    }

    /// Sends up to one batch; false when there was nothing to send or a send failed.
    private func sendOneBatch() async -> Bool {
        let batch: [ErrorEvent] = state.withLock { state in
            let count = min(batchSize, state.buffer.count)
            defer { state.buffer.removeFirst(count) }
            return Array(state.buffer.prefix(count))
        }
        guard !batch.isEmpty else { return false }
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
                state.withLock { $0.statistics.sent += 1 }
            } catch {
                let lost = batch.count - index
                var pause: Duration?
                if case .rateLimited(let retryAfter)? = error as? BetterStackError { pause = retryAfter ?? .seconds(60) }
                let shouldReport = state.withLock { state in
                    state.statistics.failed += 1
                    state.statistics.dropped += lost
                    if let pause { state.pausedUntil = ContinuousClock.now + pause }
                    let now = ContinuousClock.now
                    guard state.lastFailureReport.map({ now - $0 >= .seconds(60) }) ?? true else { return false }
                    state.lastFailureReport = now
                    return true
                }
                if shouldReport {
                    diagnostics.warning(
                        "Better Stack Errors did not take an event; events are dropped while it fails",
                        metadata: ["error": "\(error)", "dropped": "\(lost)"]
                    )
                }
                return false
            }
        }
        return true
    }
}
