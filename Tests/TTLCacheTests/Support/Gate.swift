import Synchronization
import Testing

/// A one-shot async gate: `wait()` suspends until `open()` is called (or returns at once after).
/// Lets a test hold a cache load in flight for as long as it needs.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            let waiters = state.waiters
            state.waiters = []
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Runs `operation` and records an issue if it takes longer than `limit`; `onTimeout` then
/// runs (e.g. to open a gate) so that a blocked operation can still finish and the test fails
/// instead of hanging.
func finishes<T: Sendable>(
    within limit: Duration = .seconds(2),
    _ what: String,
    onTimeout: @escaping @Sendable () -> Void,
    _ operation: () async throws -> T
) async rethrows -> T {
    let timeouts = Counter()
    let watchdog = Task {
        try await Task.sleep(for: limit)
        timeouts.increment()
        onTimeout()
    }
    let result = try await operation()
    watchdog.cancel()
    if timeouts.current > 0 {
        Issue.record("\(what) took longer than \(limit)")
    }
    return result
}

/// Polls `condition` until it holds or `limit` passes; records an issue in the latter case.
func eventually(
    within limit: Duration = .seconds(2),
    _ what: String,
    _ condition: () -> Bool
) async {
    let deadline = ContinuousClock.now + limit
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("\(what) did not happen within \(limit)")
            return
        }
        try? await Task.sleep(for: .milliseconds(2))
    }
}
