import Synchronization

/// One timer for every deadline in the process: requests' deadlines and scrapes' budgets are
/// entries in a table that a single ticker sweeps, and work that finishes first removes its entry
/// at once.
///
/// Why not a `Task.sleep` per deadline, cancelled when the work is done: on Linux the runtime's
/// global executor queues the wake-up of a sleeping task with `dispatch_after` (swift
/// `stdlib/public/Concurrency/DispatchGlobalExecutor.cpp`), which cannot be withdrawn, so a
/// cancelled sleep keeps about 0.7 kB until the time it slept for has passed. With a 30 s deadline
/// per request, a flood of cheap `GET /` at 13k requests a second held some 280 MB that way.
///
/// A deadline fires within one tick (20 ms) after it passes; the ticker runs only while some
/// deadline is pending.
final class DeadlineWatch: Sendable {
    static let shared = DeadlineWatch(tick: .milliseconds(20))

    /// What ``cancel(_:)`` needs to withdraw a deadline.
    struct Ticket: Sendable {
        fileprivate let id: UInt64
    }

    private struct Entry {
        let instant: ContinuousClock.Instant
        let fire: @Sendable () -> Void
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var nextID: UInt64 = 0
        var ticking = false
    }

    private let state = Mutex(State())
    private let tick: Duration

    init(tick: Duration) {
        self.tick = tick
    }

    /// Calls `fire` once, soon after `instant`, unless ``cancel(_:)`` came first.
    func watch(until instant: ContinuousClock.Instant, _ fire: @escaping @Sendable () -> Void) -> Ticket {
        let (ticket, start): (Ticket, Bool) = state.withLock { state in
            let id = state.nextID
            state.nextID &+= 1
            state.entries[id] = Entry(instant: instant, fire: fire)
            defer { state.ticking = true }
            return (Ticket(id: id), !state.ticking)
        }
        if start { startTicking() }
        return ticket
    }

    /// Withdraws a deadline; nothing happens if it has fired already.
    func cancel(_ ticket: Ticket) {
        _ = state.withLock { $0.entries.removeValue(forKey: ticket.id) }
    }

    /// Deadlines not yet fired nor cancelled (for tests).
    var pending: Int { state.withLock { $0.entries.count } }

    private func startTicking() {
        // Detached: no request's task-local values (budget, logger) belong to the ticker.
        Task.detached { [self] in
            while true {
                // Never cancelled, so this sleep's timer is spent, not left behind.
                try? await Task.sleep(for: tick)
                let now = ContinuousClock.now
                let due: [Entry]? = state.withLock { state in
                    if state.entries.isEmpty {
                        state.ticking = false
                        return nil
                    }
                    let ids = state.entries.compactMap { $0.value.instant <= now ? $0.key : nil }
                    return ids.compactMap { state.entries.removeValue(forKey: $0) }
                }
                guard let due else { return }
                for entry in due { entry.fire() }
            }
        }
    }
}
