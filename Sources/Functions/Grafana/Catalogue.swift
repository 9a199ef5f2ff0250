import BetterStack
import FastCGIRuntime
import TTLCache

/// The bridge's Grafana target scheme (docs/grafana.md, "Grafana with the JSON datasource"):
///
/// | metric | kind | selectors |
/// | --- | --- | --- |
/// | `response_time` | seconds per monitor and region | `monitor`, `region`, `aggregate` (avg, min, max, p95) |
/// | `response_time.name_lookup`, `.connection`, `.tls_handshake`, `.data_transfer` | phase seconds | same |
/// | `availability` | per-day availability percent (one SLA call per monitor and day; finished days cached a week; coarser periods when the days do not fit the request's upstream budget, see `AvailabilityPeriod`) | `monitor` |
/// | `monitors` | table: id, name, url, status, up, check frequency, last check, regions | `monitor`, `status` |
/// | `incidents` | table shaped for annotations: time, timeEnd, title, text, tags | `monitor` |
///
/// `monitor` matches a monitor's id, URL or name; without it every monitor is used.
enum Metric: String, CaseIterable {
    case responseTime = "response_time"
    case nameLookup = "response_time.name_lookup"
    case connection = "response_time.connection"
    case tlsHandshake = "response_time.tls_handshake"
    case dataTransfer = "response_time.data_transfer"
    case availability
    case monitors
    case incidents

    var isResponseTime: Bool { rawValue.hasPrefix("response_time") }

    /// The value of a response-time point for this metric.
    func value(_ point: ResponseTimePoint) -> Double? {
        switch self {
        case .responseTime: point.responseTime
        case .nameLookup: point.nameLookupTime
        case .connection: point.connectionTime
        case .tlsHandshake: point.tlsHandshakeTime
        case .dataTransfer: point.dataTransferTime
        default: nil
        }
    }

    /// Legend suffix for phases: `Example homepage us tls_handshake`.
    var seriesSuffix: String {
        isResponseTime && self != .responseTime ? " " + String(rawValue.dropFirst("response_time.".count)) : ""
    }

    static func named(_ target: Target) throws(HTTPError) -> Metric {
        guard let metric = Metric(rawValue: target.metric) else {
            throw HTTPError(
                400,
                "unknown target metric \(target.metric); use one of \(Metric.allCases.map(\.rawValue).joined(separator: ", "))",
                extra: [("target", .string(target.text))]
            )
        }
        return metric
    }
}

/// Monitors and regions a target (plus ad hoc filters) selects.
struct Selection {
    var monitors: [Monitor]
    var freshness: [CacheFreshness]
    var aggregate: Aggregate
    var regionFilters: [QueryRequest.Filter]
    /// Heartbeats instead of monitors: `availability{heartbeat="…"}`.
    var heartbeats: [Heartbeat]? = nil

    /// Series of an availability target: one per heartbeat or monitor.
    var availabilitySeries: Int { heartbeats?.count ?? monitors.count }

    static func resolve(
        _ target: Target,
        filters: [QueryRequest.Filter],
        data: UptimeData
    ) async throws -> Selection {
        if let selector = target.selectors["heartbeat"], !selector.values.allSatisfy(\.isEmpty) {
            return try await resolveHeartbeats(selector, data: data)
        }
        let list = try await data.monitors()
        var monitors = list.value
        if let selector = target.selectors["monitor"], !selector.values.allSatisfy(\.isEmpty) {
            let matcher = try ValueMatcher(selector)
            monitors = monitors.filter { matcher.accepts(anyOf: $0.names(for: matcher)) }
            // Naming one monitor that does not exist is a 404; a set or a pattern may select none.
            if monitors.isEmpty, !matcher.isNegated, let single = matcher.single {
                throw MonitorNotFound(selector: .any(single))
            }
        }
        if let selector = target.selectors["status"], !selector.values.allSatisfy(\.isEmpty) {
            let matcher = try ValueMatcher(selector)
            monitors = monitors.filter { matcher.accepts($0.status.rawValue) }
        }
        for filter in filters {
            switch filter.key {
            case "monitor": monitors = monitors.filter { filter.accepts(anyOf: $0.names(for: filter.matcher)) }
            case "status": monitors = monitors.filter { filter.accepts($0.status.rawValue) }
            default: break
            }
        }
        var regionFilters = filters.filter { $0.key == "region" }
        if let selector = target.selectors["region"], !selector.values.allSatisfy(\.isEmpty) {
            if selector.op == .equal, selector.values.count == 1, !selector.values[0].contains("|"),
                !selector.values[0].hasPrefix("{"), !RequestParameters.regions.contains(selector.values[0])
            {
                let region = selector.values[0]
                throw HTTPError(400, "unknown region \(region); use us, eu, as or au", extra: [("region", .string(region))])
            }
            regionFilters.append(QueryRequest.Filter(key: "region", matcher: try ValueMatcher(selector)))
        }
        let aggregateText = target.value("aggregate") ?? "avg"
        guard let aggregate = Aggregate(rawValue: aggregateText) else {
            throw HTTPError(
                400,
                "unknown aggregate \(aggregateText); use avg, min, max or p95",
                extra: [("aggregate", .string(aggregateText))]
            )
        }
        return Selection(
            monitors: monitors,
            freshness: [list.freshness],
            aggregate: aggregate,
            regionFilters: regionFilters
        )
    }

    /// The heartbeats a `heartbeat` selector names (by id or name; regular expressions by name).
    static func resolveHeartbeats(_ selector: Selector, data: UptimeData) async throws -> Selection {
        let list = try await data.heartbeats()
        let matcher = try ValueMatcher(selector)
        let heartbeats = list.value.filter { heartbeat in
            matcher.accepts(anyOf: matcher.isPattern ? [heartbeat.name] : [heartbeat.id, heartbeat.name])
        }
        if heartbeats.isEmpty, !matcher.isNegated, let single = matcher.single {
            throw HTTPError(404, "no heartbeat with id or name \(single)", extra: [("heartbeat", .string(single))])
        }
        return Selection(monitors: [], freshness: [list.freshness], aggregate: .avg, regionFilters: [], heartbeats: heartbeats)
    }

    func includes(region code: String) -> Bool {
        regionFilters.allSatisfy { $0.accepts(code) }
    }
}

/// Runs `body` for every element, at most `limit` at a time, keeping the input order.
func concurrentMap<T: Sendable, R: Sendable>(
    _ items: [T],
    limit: Int = 8,
    _ body: @escaping @Sendable (T) async throws -> R
) async throws -> [R] {
    try await withThrowingTaskGroup(of: (Int, R).self) { group in
        var results = [R?](repeating: nil, count: items.count)
        var next = 0
        func addNext() {
            guard next < items.count else { return }
            let index = next
            let item = items[index]
            next += 1
            group.addTask { (index, try await body(item)) }
        }
        for _ in 0..<limit { addNext() }
        while let (index, result) = try await group.next() {
            results[index] = result
            addNext()
        }
        return results.map { $0! }
    }
}

extension Monitor {
    /// How the monitor appears in legends and tables.
    var displayName: String { pronounceableName ?? url ?? id }

    /// What a `monitor` selector is compared with: `=`/`!=` name the monitor by id, URL or name;
    /// regular expressions (`=~`/`!~`) are matched against its name and URL only, so that a pattern
    /// such as `.*[0-9]` is about names, not the numeric ids every monitor has.
    func names(for matcher: ValueMatcher) -> [String?] {
        matcher.isPattern ? [pronounceableName, url] : [id, url, pronounceableName]
    }
}
