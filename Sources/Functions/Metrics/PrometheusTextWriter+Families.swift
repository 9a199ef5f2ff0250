import PrometheusExposition

/// The two shapes most `betterstack_*` and `uptime_bridge_*` families take.
extension PrometheusTextWriter {
    /// A gauge family with one sample per item that has a value, labelled only by the item's id.
    mutating func gauge<Item>(
        _ name: String,
        help: String,
        _ items: some Sequence<Item>,
        label: String,
        id: (Item) -> String,
        value: (Item) -> Double?
    ) {
        family(name, help: help, type: .gauge)
        for item in items {
            if let value = value(item) { sample(labels: [(label, id(item))], value: value) }
        }
    }

    /// A state set (OpenMetrics' `stateset` as gauges): per item, 1 for its current state and 0
    /// for the others in `states`; a current state not in `states` (a new upstream value) is added.
    mutating func stateSet<Item>(
        _ name: String,
        help: String,
        _ items: some Sequence<Item>,
        label: String,
        id: (Item) -> String,
        states: [String],
        current: (Item) -> String
    ) {
        family(name, help: help, type: .gauge)
        for item in items {
            let now = current(item)
            for state in states {
                sample(labels: [(label, id(item)), ("state", state)], value: state == now ? 1 : 0)
            }
            if !now.isEmpty, !states.contains(now) {
                sample(labels: [(label, id(item)), ("state", now)], value: 1)
            }
        }
    }
}
