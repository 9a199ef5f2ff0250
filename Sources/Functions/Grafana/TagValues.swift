import BetterStack
import FastCGIRuntime

/// `POST /tag-values`: the values of one ad hoc filter key.
public enum TagValues {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let body = try JSONValue.parse(request.body)
        guard let key = body["key"]?.string else { throw HTTPError(400, "key is required") }
        // A key this bridge does not know (left over from another datasource's dashboard) has no values.
        let data = try context.uptimeData()
        let values = ["monitor", "region", "status"].contains(key)
            ? try await LabelValues.labelValues(key, data: data) : []
        var json = JSONWriter()
        json.beginArray()
        for value in values {
            json.beginObject()
            json.member("text", value)
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30)
    }
}
