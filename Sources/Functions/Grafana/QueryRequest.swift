import BetterStack
import FastCGIRuntime

/// A Grafana `/query` (or `/annotations`) request, read the way every plugin version sends it
/// (contracts §A.4): `type` spelled `timeserie` or `timeseries` (absent = time series), extra JSON in
/// `payload` or `data`, ad hoc filters in `filters` or `adhocFilters`.
struct QueryRequest {
    struct TargetRequest {
        var target: Target
        var refID: String
        var isTable: Bool
    }

    struct Filter {
        var key: String
        var isNegated: Bool
        var value: String

        func accepts(_ candidate: String?) -> Bool {
            (candidate == value) != isNegated
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
        for (index, item) in (body["targets"]?.array ?? []).enumerated() {
            if item["hide"]?.bool == true { continue }
            guard let text = item["target"]?.string, !text.trimmingSpaces.isEmpty else { continue }
            var target = try Target.parse(text)
            for (key, value) in extraSelectors(item) where !value.isEmpty {
                target.selectors[key] = value
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
        for item in (body["filters"]?.array ?? body["adhocFilters"]?.array ?? []) {
            guard let key = item["key"]?.string, let value = item["value"]?.string else { continue }
            let op = item["operator"]?.string ?? "="
            guard op == "=" || op == "!=" else {
                throw HTTPError(400, "unsupported filter operator \(op); use = or !=", extra: [("operator", .string(op))])
            }
            filters.append(Filter(key: key, isNegated: op == "!=", value: value))
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
        guard let from = TimeParameter.milliseconds(fromText), let to = TimeParameter.milliseconds(toText) else {
            throw HTTPError(400, "range.from and range.to must be ISO 8601 or epoch milliseconds")
        }
        guard from <= to else { throw HTTPError(400, "the time range is inverted (from is after to)") }
        return (from, to)
    }

    /// Selectors from the JSON datasource's `payload` (or simpod 0.2's `data`), given as an object or
    /// as JSON text.
    static func extraSelectors(_ item: JSONValue) -> [(String, String)] {
        for key in ["payload", "data"] {
            guard let value = item[key] else { continue }
            var object = value.object
            if object == nil, let text = value.string, let parsed = try? JSONValue.parse(Array(text.utf8)) {
                object = parsed.object
            }
            if let object {
                return object.compactMap { key, value in value.string.map { (key, $0) } }
            }
        }
        return []
    }
}
