import Synchronization

/// Process-unique request ids: a per-process prefix and a counter.
final class RequestIDGenerator: Sendable {
    private let counter = Atomic<UInt64>(0)
    private let prefix: String

    init() {
        var generator = SystemRandomNumberGenerator()
        prefix = String(UInt32.random(in: 0...UInt32.max, using: &generator), radix: 16)
    }

    func next() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return prefix + "-" + String(n, radix: 16)
    }

    /// Accepts a forwarded id only if it is short and made of safe characters (it is echoed back).
    static func sanitized(_ id: String) -> String? {
        guard !id.isEmpty, id.utf8.count <= 64,
            id.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 || $0 == 46 })
        else { return nil }
        return id
    }
}
