import BetterStack
import FastCGIRuntime

/// `POST /variable` (the JSON datasource ≥ 0.4's variable query), answered as `/search` is.
public enum Variable {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let body = try JSONValue.parse(request.body)
        let payload = body["payload"] ?? .object([:])
        let text = (payload["target"]?.string ?? payload.string ?? "").trimmingSpaces
        let data = try context.uptimeData()
        let values = try await LabelValues.answer(text, data: data)
        var json = JSONWriter()
        json.beginArray()
        for value in values {
            json.beginObject()
            json.member("__text", value)
            json.member("__value", value)
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30)
    }
}
