import BetterStack
import Synchronization

/// Records retry waits instead of sleeping, so retry tests take no time.
final class SleepRecorder: Sendable {
    private let waits = Mutex<[Duration]>([])

    var all: [Duration] { waits.withLock { $0 } }

    var sleep: RetrySleep {
        { duration in self.waits.withLock { $0.append(duration) } }
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
