/// The faults in force, shared by every connection, changed by flags and the admin API.
final class FaultBoard: Sendable {
    /// What to do to one request, decided when it arrives.
    struct Decision: Sendable, Equatable {
        var latencyMilliseconds = 0
        /// The failure part to apply, or `nil` when the request is answered normally.
        var failure: Fault?
    }

    private struct Board {
        var faults: [RouteName: Fault] = [:]
        var dice: SplitMix64
    }

    private let board: Locked<Board>

    init(seed: UInt64, faults: [Fault]) {
        // Seeded dice make `rate` reproducible: the same run injects the same failures.
        var initial = Board(dice: SplitMix64(seed: seed, stream: "faults"))
        for fault in faults { initial.faults[fault.route] = fault }
        self.board = Locked(initial)
    }

    /// Installs `fault`, replacing any other fault on the same route.
    func set(_ fault: Fault) {
        board.withLock { $0.faults[fault.route] = fault }
    }

    /// Removes the fault on `route`, or all faults when `route` is `nil`.
    func clear(_ route: RouteName? = nil) {
        board.withLock { board in
            if let route { board.faults[route] = nil } else { board.faults.removeAll() }
        }
    }

    /// The faults in force, ordered by route name.
    var all: [Fault] {
        board.withLock { $0.faults.values.sorted { $0.route < $1.route } }
    }

    /// Decides what happens to one request on `route`, and uses up one unit of any counted fault.
    ///
    /// The route's own fault and the `*` fault are merged: latency from the route's fault if it sets
    /// one, else from `*`; the failure part (with its rate) likewise as a whole. So
    /// `--latency-ms 100 --fault sla=status=503` slows everything and also fails `sla`.
    func decide(for route: RouteName) -> Decision {
        board.withLock { board in
            let specific = board.faults[route]
            let global = board.faults[.all]
            guard specific != nil || global != nil else { return Decision() }
            for key in [route, RouteName.all] {
                guard var fault = board.faults[key], let remaining = fault.count else { continue }
                fault.count = remaining - 1
                board.faults[key] = remaining > 1 ? fault : nil
            }
            let merged = Self.merge(specific, over: global)
            var decision = Decision(latencyMilliseconds: merged.latencyMilliseconds ?? 0)
            if merged.hasFailure, board.dice.unit() < merged.rate {
                decision.failure = merged
            }
            return decision
        }
    }

    private static func merge(_ specific: Fault?, over global: Fault?) -> Fault {
        guard let global else { return specific ?? Fault() }
        guard let specific else { return global }
        var merged = specific
        merged.latencyMilliseconds = specific.latencyMilliseconds ?? global.latencyMilliseconds
        if !specific.hasFailure {
            merged.status = global.status
            merged.retryAfter = global.retryAfter
            merged.truncate = global.truncate
            merged.garbage = global.garbage
            merged.reset = global.reset
            merged.rate = global.rate
        }
        return merged
    }
}
