import Logging
import Synchronization

/// The bounded background sender under ``ErrorReporter`` and ``LogShipper``: a buffer of at most
/// `capacity` items, one detached task that hands them to `send` in order, at most `batchSize` at
/// a time, and a shutdown bounded by a deadline.
///
/// ``enqueue(_:)`` is O(1) and never waits on the network: when the buffer is full the item is
/// dropped and counted. What is done with a batch (one request, several, counting what was
/// delivered) is the owner's: it passes its `send` to ``start(_:)`` and ``shutdown(deadline:_:)``,
/// and `send` answers whether the next batch may follow right away (false: the ingest is failing,
/// wait for the next interval).
///
/// Shutdown: a batch the background task is sending is awaited, not cancelled (cancelling it would
/// lose items already taken from the buffer); once shutdown has begun the background task takes no
/// new batch; what is buffered is then sent by shutdown itself until the deadline, when anything
/// still running is cancelled and what is left is dropped and counted.
final class BackgroundBatches<Item: Sendable>: Sendable {
    /// How the background task paces itself.
    enum Pace: Sendable {
        /// Send until the buffer is empty (or `send` says stop), then wait one interval.
        case drainEachInterval
        /// Send at most one batch per interval (a bound on the request rate).
        case oneBatchPerInterval
    }

    struct Counts: Sendable, Equatable {
        var enqueued = 0
        var dropped = 0
        var buffered = 0
    }

    private struct State {
        var buffer: [Item] = []
        var counts = Counts()
        var stopped = false
        /// The background task is sending a batch it took (shutdown lets it finish).
        var backgroundSending = false
        var lastWarning: ContinuousClock.Instant?
    }

    let capacity: Int
    let batchSize: Int
    let flushInterval: Duration
    private let pace: Pace
    private let diagnostics: Logger
    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)

    typealias Send = @Sendable ([Item]) async -> Bool

    init(
        capacity: Int,
        batchSize: Int,
        flushInterval: Duration,
        pace: Pace,
        diagnostics: Logger
    ) {
        self.capacity = max(1, capacity)
        self.batchSize = max(1, batchSize)
        self.flushInterval = flushInterval
        self.pace = pace
        self.diagnostics = diagnostics
    }

    /// Starts the background task (idempotent).
    func start(_ send: @escaping Send) {
        task.withLock { current in
            guard current == nil else { return }
            current = Task.detached { [self] in await self.run(send) }
        }
    }

    /// Buffers `item`; false (and counted as dropped) when the buffer is full or shutdown began.
    @discardableResult
    func enqueue(_ item: Item) -> Bool {
        state.withLock { state in
            guard !state.stopped, state.buffer.count < capacity else {
                state.counts.dropped += 1
                return false
            }
            state.buffer.append(item)
            state.counts.enqueued += 1
            return true
        }
    }

    /// Counts items the owner drops (a failed request, a paused ingest, an oversized record).
    func countDropped(_ count: Int) {
        state.withLock { $0.counts.dropped += count }
    }

    var counts: Counts {
        state.withLock { state in
            var counts = state.counts
            counts.buffered = state.buffer.count
            return counts
        }
    }

    /// A warning on the diagnostics logger (which must not itself ship), at most once a minute.
    func warn(_ message: Logger.Message, metadata: Logger.Metadata) {
        let due = state.withLock { state -> Bool in
            let now = ContinuousClock.now
            if let last = state.lastWarning, now - last < .seconds(60) { return false }
            state.lastWarning = now
            return true
        }
        if due { diagnostics.warning(message, metadata: metadata) }
    }

    func shutdown(deadline: Duration, _ send: @escaping Send) async {
        let clock = ContinuousClock()
        let end = clock.now + deadline
        state.withLock { $0.stopped = true }
        let running = task.withLock { $0 }
        while state.withLock({ $0.backgroundSending }), clock.now < end {
            try? await Task.sleep(for: .milliseconds(5))
        }
        running?.cancel()
        let remaining = end - clock.now
        if remaining > .zero {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { [self] in
                    while !Task.isCancelled, await self.sendOneBatch(background: false, send) {}
                }
                group.addTask { try? await Task.sleep(for: remaining) }
                await group.next()
                group.cancelAll()
            }
        }
        state.withLock { state in
            state.counts.dropped += state.buffer.count
            state.buffer.removeAll()
        }
    }

    private func run(_ send: Send) async {
        while !Task.isCancelled {
            switch pace {
            case .drainEachInterval: while await sendOneBatch(background: true, send) {}
            case .oneBatchPerInterval: _ = await sendOneBatch(background: true, send)
            }
            try? await Task.sleep(for: flushInterval)
        }
    }

    /// Sends up to one batch; false when there was nothing to send or `send` said stop.
    private func sendOneBatch(background: Bool, _ send: Send) async -> Bool {
        let batch: [Item] = state.withLock { state in
            if background && state.stopped { return [] }
            let count = min(batchSize, state.buffer.count)
            defer { state.buffer.removeFirst(count) }
            if background && count > 0 { state.backgroundSending = true }
            return Array(state.buffer.prefix(count))
        }
        guard !batch.isEmpty else { return false }
        defer { if background { state.withLock { $0.backgroundSending = false } } }
        return await send(batch)
    }
}
