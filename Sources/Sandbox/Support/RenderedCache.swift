/// Rendered payload bytes by key, within a byte budget, oldest evicted first.
///
/// The data never changes during a run, so a rendered payload stays right forever; caching the
/// big ones (a 30-second monitor's response times are ~2 MB) keeps the sandbox from competing
/// with the system under test for the CPU in benchmarks.
final class RenderedCache<Key: Hashable & Sendable>: Sendable {
    private struct Storage {
        var entries: [Key: [UInt8]] = [:]
        var order: [Key] = []
        var bytes = 0
    }

    private let storage = Locked(Storage())
    private let budgetBytes: Int

    init(budgetBytes: Int) {
        self.budgetBytes = budgetBytes
    }

    /// The cached bytes for `key`, or renders, stores and returns them.
    func bytes(for key: Key, render: () -> [UInt8]) -> [UInt8] {
        if let hit = storage.withLock({ $0.entries[key] }) { return hit }
        // Rendered outside the lock: two racing misses both render, and both results are equal.
        let rendered = render()
        guard rendered.count <= budgetBytes else { return rendered }
        storage.withLock { storage in
            guard storage.entries[key] == nil else { return }
            while storage.bytes + rendered.count > budgetBytes, !storage.order.isEmpty {
                let oldest = storage.order.removeFirst()
                storage.bytes -= storage.entries.removeValue(forKey: oldest)?.count ?? 0
            }
            storage.entries[key] = rendered
            storage.order.append(key)
            storage.bytes += rendered.count
        }
        return rendered
    }
}
