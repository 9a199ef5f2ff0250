import BetterStack
import FastCGIRuntime

/// `POST /metrics` (the JSON datasource ≥ 0.6's metric list, with each metric's payload fields).
/// `GET /metrics` is the Prometheus exposition (``Metrics``).
public enum MetricList {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        _ = try JSONValue.parse(request.body)
        var json = JSONWriter()
        json.beginArray()
        for metric in Metric.allCases {
            json.beginObject()
            json.member("label", metric.rawValue)
            json.member("value", metric.rawValue)
            json.key("payloads")
            json.beginArray()
            payload(&json, name: "monitor", label: "Monitor", type: "select", options: nil)
            if metric.isResponseTime {
                payload(&json, name: "region", label: "Region", type: "select", options: ["us", "eu", "as", "au"])
                payload(&json, name: "aggregate", label: "Aggregate", type: "select", options: Aggregate.allCases.map(\.rawValue))
            }
            if metric == .monitors {
                payload(&json, name: "status", label: "Status", type: "select", options: LabelValues.statuses)
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 300)
    }


    static func payload(_ json: inout JSONWriter, name: String, label: String, type: String, options: [String]?) {
        json.beginObject()
        json.member("name", name)
        json.member("label", label)
        json.member("type", type)
        if let options {
            json.key("options")
            json.beginArray()
            for option in options {
                json.beginObject()
                json.member("label", option)
                json.member("value", option)
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
    }
}
