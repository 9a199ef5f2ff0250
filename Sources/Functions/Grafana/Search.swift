import BetterStack
import FastCGIRuntime

/// `POST /search` (SimpleJSON's metric picker and variable query). Variable queries use
/// Prometheus' spelling: `label_values(monitor)`, `label_values(region)`, `label_values(status)`,
/// `metrics()`; any other text filters the list of targets (``LabelValues/answer(_:data:)``).
public enum Search {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let body = try JSONValue.parse(request.body)
        let text = body["target"]?.string?.trimmingSpaces ?? ""
        let data = try context.uptimeData()
        let values = try await LabelValues.answer(text, data: data)
        var json = JSONWriter()
        json.beginArray()
        for value in values { json.string(value) }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30)
    }
}
