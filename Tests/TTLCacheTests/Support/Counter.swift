import Synchronization

/// A thread-safe counter for counting loads.
final class Counter: Sendable {
    private let value = Mutex(0)

    @discardableResult
    func increment() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }

    var current: Int { value.withLock { $0 } }
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String = "upstream down") {
        self.description = description
    }
}
