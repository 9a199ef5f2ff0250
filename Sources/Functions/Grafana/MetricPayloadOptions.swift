import BetterStack
import FastCGIRuntime

/// `POST /metric-payload-options` (the JSON datasource ≥ 0.6): the options of one payload field.
public enum MetricPayloadOptions {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let body = try JSONValue.parse(request.body)
        guard let name = body["name"]?.string else { throw HTTPError(400, "name is required") }
        let data = try context.uptimeData()
        let values = try await LabelValues.labelValues(name, data: data)
        var json = JSONWriter()
        json.beginArray()
        for value in values {
            json.beginObject()
            json.member("label", value)
            json.member("value", value)
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30)
    }
}
