import BetterStack
import FastCGIRuntime
import TTLCache

/// Incidents as Grafana region annotations: from start to resolution (or to now while open).
struct IncidentEvents {
    struct Event {
        var id: String
        var start: Int64
        var end: Int64
        var title: String
        var text: String
        var tags: [String]
        var monitor: String
        var status: String
    }

    var events: [Event]
    var freshness: [CacheFreshness]

    /// Incidents overlapping `[from, to]` for the monitors a target selects (all without `monitor`).
    static func load(
        _ target: Target,
        from: Int64,
        to: Int64,
        filters: [QueryRequest.Filter],
        data: UptimeData
    ) async throws -> IncidentEvents {
        let selection = try await Selection.resolve(target, filters: filters, data: data)
        let wanted = Set(selection.monitors.map(\.id))
        let names = Dictionary(selection.monitors.map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let now = data.now()
        // Upstream filters by start day; an incident that started earlier may still overlap, so look
        // back a week before the range.
        let incidents = try await data.incidents(
            from: UTCDay(epochMilliseconds: from - 7 * 86_400_000),
            to: UTCDay(epochMilliseconds: to)
        )
        var events: [Event] = []
        for incident in incidents.value {
            guard let start = incident.startedAt else { continue }
            let end = incident.resolvedAt ?? now
            guard end >= from, start <= to else { continue }
            if let monitorID = incident.monitorID {
                guard wanted.contains(monitorID) else { continue }
            } else if target.selectors["monitor"] != nil {
                // Heartbeat incidents have no monitor: a monitor selector leaves them out.
                continue
            }
            let monitor = incident.monitorID.flatMap { names[$0] } ?? incident.name ?? "heartbeat"
            let cause = incident.cause ?? "incident"
            events.append(
                Event(
                    id: incident.id,
                    start: start,
                    end: end,
                    title: "\(monitor): \(cause)",
                    text: "\(incident.status.rawValue)" + (incident.isOpen ? " (ongoing)" : ""),
                    tags: ["incident", incident.status.rawValue.lowercased(), monitor],
                    monitor: monitor,
                    status: incident.status.rawValue
                )
            )
        }
        events.sort { $0.start < $1.start }
        return IncidentEvents(events: events, freshness: selection.freshness + [incidents.freshness])
    }
}
