import Synchronization
import TTLCache

/// Waiting for upstream work without letting it hold a scrape past its budget.
///
/// The cache's loads run in tasks of their own and do not stop when a waiter gives up (other
/// callers share them), so a scrape cannot just cancel what it waits for. Instead the work runs
/// in its own task and the scrape waits for whichever comes first, the work or the deadline; work
/// that misses the deadline goes on and fills the cache for the next scrape.
enum ScrapeDeadline {
    /// The value of `task` if it is ready before `deadline`, else `nil`. The task is not cancelled.
    static func value<Value: Sendable>(
        of task: Task<Value, Never>,
        before deadline: ContinuousClock.Instant
    ) async -> Value? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
            let once = ResumeOnce(continuation)
            let timer = DeadlineWatch.shared.watch(until: deadline) { once.resume(returning: nil) }
            Task {
                let value = await task.value
                DeadlineWatch.shared.cancel(timer)
                once.resume(returning: value)
            }
        }
    }
}

/// A continuation that only the first of several racers resumes.
private final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(returning value: Value) {
        let taken = continuation.withLock { slot -> CheckedContinuation<Value, Never>? in
            defer { slot = nil }
            return slot
        }
        taken?.resume(returning: value)
    }
}

/// At most one refresh of a kind at a time per worker: a scrape that finds one running waits for
/// it instead of starting another, so a stalled upstream does not pile up abandoned refreshes.
final class RefreshFlight<Value: Sendable>: Sendable {
    private let current = Mutex<Task<Value, Never>?>(nil)

    init() {}

    /// The running refresh, or a new one running `operation`.
    func run(_ operation: @escaping @Sendable () async -> Value) -> Task<Value, Never> {
        current.withLock { current in
            if let running = current { return running }
            // The task clears the slot when done; it cannot get there before this lock is released.
            // Shared by every scrape that finds it running, and bounded by the configuration (the
            // account's monitors, the pages), not by any request: no request's upstream budget
            // applies inside it.
            let task = Task {
                let value = await CacheLoadAdmission.$current.withValue(nil) { await operation() }
                self.current.withLock { $0 = nil }
                return value
            }
            current = task
            return task
        }
    }
}
