/// The most recent `capacity` entries of something the sandbox receives (heartbeat pings, log
/// records), plus how many arrived in all, so that a long benchmark cannot grow memory without end.
final class BoundedLog<Entry: Sendable>: Sendable {
    private struct Storage {
        var entries: [Entry] = []
        var received = 0
    }

    private let storage = Locked(Storage())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Appends entries, dropping the oldest beyond capacity.
    func append(contentsOf newEntries: [Entry]) {
        storage.withLock { storage in
            storage.received += newEntries.count
            storage.entries.append(contentsOf: newEntries)
            if storage.entries.count > capacity {
                storage.entries.removeFirst(storage.entries.count - capacity)
            }
        }
    }

    /// The kept entries, oldest first, and the number received since the last clear.
    var snapshot: (entries: [Entry], received: Int) {
        storage.withLock { ($0.entries, $0.received) }
    }

    /// Forgets everything.
    func clear() {
        storage.withLock { $0 = Storage() }
    }
}
