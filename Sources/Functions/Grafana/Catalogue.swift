import BetterStack
import FastCGIRuntime
import TTLCache

/// The bridge's Grafana target scheme (README "Grafana with the JSON datasource"):
///
/// | metric | kind | selectors |
/// | --- | --- | --- |
/// | `response_time` | seconds per monitor and region | `monitor`, `region`, `aggregate` (avg, min, max, p95) |
/// | `response_time.name_lookup`, `.connection`, `.tls_handshake`, `.data_transfer` | phase seconds | same |
/// | `availability` | per-day availability percent (one SLA call per monitor and day; finished days cached a week) | `monitor` |
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
    var region: String?
    var aggregate: Aggregate
    var regionFilters: [QueryRequest.Filter]

    static func resolve(
        _ target: Target,
        filters: [QueryRequest.Filter],
        data: UptimeData
    ) async throws -> Selection {
        let list = try await UpstreamErrors.mapping { try await data.monitors() }
        var monitors = list.value
        if let wanted = target.selectors["monitor"], !wanted.isEmpty {
            monitors = monitors.filter { MonitorSelector.any(wanted).matches($0) }
            if monitors.isEmpty { throw MonitorNotFound(selector: .any(wanted)) }
        }
        if let status = target.selectors["status"], !status.isEmpty {
            monitors = monitors.filter { $0.status.rawValue == status }
        }
        for filter in filters {
            switch filter.key {
            case "monitor": monitors = monitors.filter { filter.accepts($0.pronounceableName ?? $0.url ?? $0.id) }
            case "status": monitors = monitors.filter { filter.accepts($0.status.rawValue) }
            default: break
            }
        }
        let region = target.selectors["region"].flatMap { $0.isEmpty ? nil : $0 }
        if let region, !RequestParameters.regions.contains(region) {
            throw HTTPError(400, "unknown region \(region); use us, eu, as or au", extra: [("region", .string(region))])
        }
        let aggregateText = target.selectors["aggregate"] ?? "avg"
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
            region: region,
            aggregate: aggregate,
            regionFilters: filters.filter { $0.key == "region" }
        )
    }

    func includes(region code: String) -> Bool {
        if let region, region != code { return false }
        return regionFilters.allSatisfy { $0.accepts(code) }
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
}
