/// Request counts per route name, for tests and benchmarks that assert how many upstream calls
/// the bridge made (single-flight, caching).
final class RequestStats: Sendable {
    private let counts = Locked<[RouteName: Int]>([:])

    /// Counts one request to `route`.
    func record(_ route: RouteName) {
        counts.withLock { $0[route, default: 0] += 1 }
    }

    /// Forgets every count.
    func reset() {
        counts.withLock { $0.removeAll() }
    }

    /// `{"total": 12, "routes": {"monitors": 2, "response_times": 10}}`, routes sorted by name.
    var json: JSON {
        let snapshot = counts.withLock { $0 }
        let routes = snapshot.sorted { $0.key < $1.key }.map { ($0.key.rawValue, JSON.int($0.value)) }
        return .object([("total", .int(snapshot.values.reduce(0, +))), ("routes", .object(routes))])
    }

    /// Every count, by route name.
    var snapshot: [RouteName: Int] {
        counts.withLock { $0 }
    }

    /// The count for one route.
    func count(_ route: RouteName) -> Int {
        counts.withLock { $0[route, default: 0] }
    }
}
