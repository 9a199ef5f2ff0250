import BetterStack
import FastCGIRuntime

/// The metric pickers and variable queries of both Grafana plugins:
/// `POST /search` (SimpleJSON), `POST /metrics` and `POST /metric-payload-options` (JSON datasource
/// ≥ 0.6) and `POST /variable` (JSON datasource ≥ 0.4).
///
/// Variable queries use Prometheus' spelling: `label_values(monitor)`, `label_values(region)`,
/// `label_values(status)`, `metrics()`. Any other `/search` text filters the list of targets.
public enum Search {
    @Sendable
    public static func search(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let body = try JSONValue.parse(request.body)
        let text = body["target"]?.string?.trimmingSpaces ?? ""
        let data = try context.uptimeData()
        let values = try await UpstreamErrors.mapping { try await answer(text, data: data) }
        var json = JSONWriter()
        json.beginArray()
        for value in values { json.string(value) }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30)
    }

    @Sendable
    public static func metrics(_ request: Request, _ context: FunctionContext) async throws -> Response {
        _ = try JSONValue.parse(request.body)
        var json = JSONWriter()
        json.beginArray()
        for metric in Metric.allCases {
            json.beginObject()
            json.key("label")
            json.string(metric.rawValue)
            json.key("value")
            json.string(metric.rawValue)
            json.key("payloads")
            json.beginArray()
            payload(&json, name: "monitor", label: "Monitor", type: "select", options: nil)
            if metric.isResponseTime {
                payload(&json, name: "region", label: "Region", type: "select", options: ["us", "eu", "as", "au"])
                payload(&json, name: "aggregate", label: "Aggregate", type: "select", options: Aggregate.allCases.map(\.rawValue))
            }
            if metric == .monitors {
                payload(&json, name: "status", label: "Status", type: "select", options: statuses)
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 300)
    }

    @Sendable
    public static func metricPayloadOptions(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let body = try JSONValue.parse(request.body)
        guard let name = body["name"]?.string else { throw HTTPError(400, "name is required") }
        let data = try context.uptimeData()
        let values = try await UpstreamErrors.mapping { try await labelValues(name, data: data) }
        var json = JSONWriter()
        json.beginArray()
        for value in values {
            json.beginObject()
            json.key("label")
            json.string(value)
            json.key("value")
            json.string(value)
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30)
    }

    @Sendable
    public static func variable(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let body = try JSONValue.parse(request.body)
        let payload = body["payload"] ?? .object([:])
        let text = (payload["target"]?.string ?? payload.string ?? "").trimmingSpaces
        let data = try context.uptimeData()
        let values = try await UpstreamErrors.mapping { try await answer(text, data: data) }
        var json = JSONWriter()
        json.beginArray()
        for value in values {
            json.beginObject()
            json.key("__text")
            json.string(value)
            json.key("__value")
            json.string(value)
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30)
    }

    static let statuses = ["up", "down", "paused", "pending", "maintenance", "validating"]

    /// `label_values(x)`, `metrics()`, or the target list filtered by `text`.
    static func answer(_ text: String, data: UptimeData) async throws -> [String] {
        if text.hasPrefix("label_values("), text.hasSuffix(")") {
            let name = String(text.dropFirst("label_values(".count).dropLast()).trimmingSpaces
            return try await labelValues(name, data: data)
        }
        if text == "metrics()" { return Metric.allCases.map(\.rawValue) }
        let monitors = try await data.monitors().value
        var targets = Metric.allCases.map(\.rawValue)
        for monitor in monitors {
            for metric in [Metric.responseTime, .availability] {
                targets.append(Target(metric: metric.rawValue, selectors: ["monitor": Selector(.equal, monitor.displayName)]).text)
            }
        }
        guard !text.isEmpty, text != "*" else { return targets }
        let needle = text.lowercased()
        return targets.filter { $0.lowercased().contains(needle) }
    }

    static func labelValues(_ name: String, data: UptimeData) async throws -> [String] {
        switch name {
        case "monitor": return try await data.monitors().value.map(\.displayName)
        case "region": return ["us", "eu", "as", "au"]
        case "status": return statuses
        case "aggregate": return Aggregate.allCases.map(\.rawValue)
        case "metric", "__name__": return Metric.allCases.map(\.rawValue)
        default:
            throw HTTPError(400, "unknown label \(name); use monitor, region, status or aggregate", extra: [("label", .string(name))])
        }
    }

    static func payload(_ json: inout JSONWriter, name: String, label: String, type: String, options: [String]?) {
        json.beginObject()
        json.key("name")
        json.string(name)
        json.key("label")
        json.string(label)
        json.key("type")
        json.string(type)
        if let options {
            json.key("options")
            json.beginArray()
            for option in options {
                json.beginObject()
                json.key("label")
                json.string(option)
                json.key("value")
                json.string(option)
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
    }
}

/// `POST /tag-keys` and `POST /tag-values`: the keys ad hoc filters can use.
public enum Tags {
    @Sendable
    public static func keys(_ request: Request, _ context: FunctionContext) async throws -> Response {
        var json = JSONWriter()
        json.beginArray()
        for key in ["monitor", "region", "status"] {
            json.beginObject()
            json.key("type")
            json.string("string")
            json.key("text")
            json.string(key)
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 300)
    }

    @Sendable
    public static func values(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let body = try JSONValue.parse(request.body)
        guard let key = body["key"]?.string else { throw HTTPError(400, "key is required") }
        // A key this bridge does not know (left over from another datasource's dashboard) has no values.
        let data = try context.uptimeData()
        let values = ["monitor", "region", "status"].contains(key)
            ? try await UpstreamErrors.mapping { try await Search.labelValues(key, data: data) } : []
        var json = JSONWriter()
        json.beginArray()
        for value in values {
            json.beginObject()
            json.key("text")
            json.string(value)
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30)
    }
}
