/// Waits between retries; injectable so tests run retries without waiting and can see the waits.
public protocol Sleeper: Sendable {
    /// Suspends for `duration`; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real clock: `Task.sleep`.
public struct TaskSleeper: Sleeper {
    /// The real sleeper.
    public init() {}

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
