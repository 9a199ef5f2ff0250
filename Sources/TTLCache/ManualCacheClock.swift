import Synchronization

/// A clock that only moves when told to; thread-safe. For tests.
public final class ManualCacheClock: CacheClock, Sendable {
    private let current: Mutex<Int64>

    /// A clock standing at `milliseconds` since the Unix epoch.
    public init(milliseconds: Int64 = 1_767_225_600_000) {
        current = Mutex(milliseconds)
    }

    public func now() -> Int64 {
        current.withLock { $0 }
    }

    /// Moves the clock forward (or back, with a negative duration).
    public func advance(by duration: Duration) {
        let delta = CachePolicy.milliseconds(duration)
        current.withLock { $0 += delta }
    }

    /// Sets the clock.
    public func set(milliseconds: Int64) {
        current.withLock { $0 = milliseconds }
    }
}
