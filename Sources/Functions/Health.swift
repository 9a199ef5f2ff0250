import FastCGIRuntime

/// `GET /` (and the base path without a slash): the answer Grafana's "Save & test" looks for.
public enum Health {
    /// Never waits: the FastCGI responder answers it on the thread that read the request.
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) throws -> Response {
        var json = JSONWriter(capacity: 48)
        json.beginObject()
        json.key("status")
        json.string("ok")
        json.key("version")
        json.string(context.services.settings.version)
        json.endObject()
        return .json(json.bytes, cacheControl: "no-store")
    }
}
