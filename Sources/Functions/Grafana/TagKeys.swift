import BetterStack
import FastCGIRuntime

/// `POST /tag-keys`: the keys ad hoc filters can use.
public enum TagKeys {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        var json = JSONWriter()
        json.beginArray()
        for key in ["monitor", "region", "status"] {
            json.beginObject()
            json.member("type", "string")
            json.member("text", key)
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 300)
    }
}
