import BetterStack
import Synchronization

/// Records retry waits instead of sleeping, so retry tests take no time.
final class SleepRecorder: Sendable {
    private let waits = Mutex<[Duration]>([])

    var all: [Duration] { waits.withLock { $0 } }

    var sleep: UpstreamSleep {
        { duration in self.waits.withLock { $0.append(duration) } }
    }

    /// Records the wait, then really sleeps, but at most `cap`: retries against a live server
    /// still go through a suspension, without the test waiting out a `Retry-After`.
    func sleep(cappedAt cap: Duration) -> UpstreamSleep {
        { duration in
            self.waits.withLock { $0.append(duration) }
            try await Task.sleep(for: min(duration, cap))
        }
    }
}

/// Collects observer events.
final class EventRecorder: Sendable {
    private let events = Mutex<[UpstreamEvent]>([])

    var all: [UpstreamEvent] { events.withLock { $0 } }

    var observer: UpstreamObserver {
        { event in self.events.withLock { $0.append(event) } }
    }
}
