import BetterStack
import FastCGIRuntime

/// A Grafana `/query` (or `/annotations`) request, read the way every plugin version sends it
/// (simPod/GrafanaJsonDatasource `src/DataSource.ts`, grafana/simple-json-datasource `src/datasource.js`): `type` spelled `timeserie` or `timeseries` (absent = time series), extra JSON in
/// `payload` or `data`, ad hoc filters in `filters` or `adhocFilters`.
struct QueryRequest {
    struct TargetRequest {
        var target: Target
        var refID: String
        var isTable: Bool
    }

    /// An ad hoc filter: `key`, one of the operators `=`, `!=`, `=~`, `!~`, and a value in any of the
    /// forms ``ValueMatcher`` reads.
    struct Filter {
        var key: String
        var matcher: ValueMatcher

        func accepts(_ candidate: String?) -> Bool {
            matcher.accepts(candidate)
        }

        func accepts(anyOf candidates: [String?]) -> Bool {
            matcher.accepts(anyOf: candidates)
        }
    }

    var from: Int64
    var to: Int64
    var maxDataPoints: Int
    var intervalMs: Int64?
    var targets: [TargetRequest]
    var filters: [Filter]

    static let defaultMaxDataPoints = 1000

    static func parse(_ body: JSONValue, settings: BridgeSettings, requireTargets: Bool = true) throws(HTTPError) -> QueryRequest {
        guard case .object = body else { throw HTTPError(400, "the request body must be a JSON object") }
        let (from, to) = try range(body)

        var maxDataPoints = defaultMaxDataPoints
        if let raw = body["maxDataPoints"], raw != .null {
            guard let value = raw.number, value == value.rounded(), value >= 1, value <= Double(settings.maxDataPointsLimit) else {
                throw HTTPError(
                    400,
                    "maxDataPoints must be a whole number from 1 to \(settings.maxDataPointsLimit)",
                    extra: [("limit", .int(Int64(settings.maxDataPointsLimit)))]
                )
            }
            maxDataPoints = Int(value)
        }
        var intervalMs: Int64? = nil
        if let raw = body["intervalMs"], raw != .null {
            guard let value = raw.number, value >= 0, value < 1e13 else {
                throw HTTPError(400, "intervalMs must be a non-negative number of milliseconds")
            }
            intervalMs = value > 0 ? Int64(value) : nil
        }

        var targets: [TargetRequest] = []
        let limits = settings.limits
        let requested = (body["targets"]?.array ?? []).filter { $0["hide"]?.bool != true }
        guard requested.count <= limits.maxTargets else {
            throw RequestLimits.refusal(
                "\(requested.count) targets in one query; at most \(limits.maxTargets) are answered at once",
                key: "limits.max_targets",
                limit: limits.maxTargets,
                fits: "split the panel's targets over several queries"
            )
        }
        for (index, item) in (body["targets"]?.array ?? []).enumerated() {
            if item["hide"]?.bool == true { continue }
            guard let text = item["target"]?.string, !text.trimmingSpaces.isEmpty else { continue }
            var target = try Target.parse(text)
            for (key, selector) in extraSelectors(item) where !selector.values.allSatisfy(\.isEmpty) {
                target.selectors[key] = selector
            }
            let type = item["type"]?.string ?? "timeseries"
            guard ["timeserie", "timeseries", "table"].contains(type) else {
                throw HTTPError(400, "unknown target type \(type); use timeseries or table", extra: [("type", .string(type))])
            }
            targets.append(
                TargetRequest(target: target, refID: item["refId"]?.string ?? "T\(index)", isTable: type == "table")
            )
        }
        if requireTargets, body["targets"]?.array == nil {
            throw HTTPError(400, "targets must be an array")
        }

        var filters: [Filter] = []
        let filterItems = body["filters"]?.array ?? body["adhocFilters"]?.array ?? []
        guard filterItems.count <= InputBounds.selectors else {
            throw HTTPError(
                400,
                "more than \(InputBounds.selectors) ad hoc filters",
                extra: [("limit", .int(Int64(InputBounds.selectors)))]
            )
        }
        for item in filterItems {
            guard let key = item["key"]?.string else { continue }
            func bounded(_ text: String) -> String {
                String(decoding: text.utf8.prefix(InputBounds.targetBytes), as: UTF8.self)
            }
            // Grafana's scenes add `=|` and `!=|` (one of several values, in `values`).
            var text = item["operator"]?.string ?? "="
            var values = item["value"]?.string.map { [bounded($0)] } ?? []
            if text == "=|" || text == "!=|" {
                text = String(text.dropLast())
                values = (item["values"]?.array ?? []).prefix(InputBounds.selectors * 32).compactMap(\.string).map(bounded)
            }
            guard !values.isEmpty else { continue }
            let op = try Selector.Operator.parse(text)
            filters.append(Filter(key: key, matcher: try ValueMatcher(Selector(op, values: values))))
        }
        return QueryRequest(
            from: from,
            to: to,
            maxDataPoints: maxDataPoints,
            intervalMs: intervalMs,
            targets: targets,
            filters: filters
        )
    }

    /// `range.from`/`range.to`: ISO 8601 (or epoch ms) and required.
    static func range(_ body: JSONValue) throws(HTTPError) -> (Int64, Int64) {
        guard let fromText = body["range"]?["from"]?.string, let toText = body["range"]?["to"]?.string else {
            throw HTTPError(400, "range.from and range.to are required")
        }
        let from: Int64
        let to: Int64
        switch (TimeParameter.parse(fromText), TimeParameter.parse(toText)) {
        case (.success(let f), .success(let t)):
            (from, to) = (f, t)
        case (.failure(let problem), _):
            throw TimeParameter.error(problem, name: "range.from", text: fromText)
        case (_, .failure(let problem)):
            throw TimeParameter.error(problem, name: "range.to", text: toText)
        }
        guard from <= to else { throw HTTPError(400, "the time range is inverted (from is after to)") }
        return (from, to)
    }

    /// Selectors from the JSON datasource's `payload` (or simpod 0.2's `data`), given as an object or
    /// as JSON text.
    static func extraSelectors(_ item: JSONValue) -> [(String, Selector)] {
        for key in ["payload", "data"] {
            guard let value = item[key] else { continue }
            var object = value.object
            if object == nil, let text = value.string, let parsed = try? JSONValue.parse(Array(text.utf8)) {
                object = parsed.object
            }
            if let object {
                // Payload values become selectors: the same bounds as a target's.
                // A string is one value; an array (a multi-value variable) any of its strings.
                func bounded(_ text: String) -> String {
                    String(decoding: text.utf8.prefix(InputBounds.targetBytes), as: UTF8.self)
                }
                return object.sorted { $0.key < $1.key }.prefix(InputBounds.selectors).compactMap { key, value in
                    if let list = value.array {
                        let values = list.prefix(InputBounds.selectors * 32).compactMap(\.string).map(bounded)
                        return values.isEmpty ? nil : (key, Selector(.equal, values: values))
                    }
                    return value.string.map { (key, Selector(.equal, bounded($0))) }
                }
            }
        }
        return []
    }
}
