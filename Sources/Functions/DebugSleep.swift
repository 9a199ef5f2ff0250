import FastCGIRuntime

/// `GET /_debug/sleep?ms=N`: answers after N milliseconds (at most 60 s) without holding a thread.
/// Registered only with `debugRoutes` on; tests and the benchmark use it to prove that slow requests
/// do not block fast ones.
public enum DebugSleep {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        guard let text = request.queryValue("ms"), let ms = Int(text), (0...60_000).contains(ms) else {
            throw HTTPError(400, "ms must be an integer from 0 to 60000")
        }
        try await Task.sleep(for: .milliseconds(ms))
        var json = JSONWriter()
        json.beginObject()
        json.member("slept_ms", ms)
        json.endObject()
        return .json(json.bytes, cacheControl: "no-store")
    }

    /// `GET /_debug/fail`: throws an internal error, to check that internals never reach the client.
    @Sendable
    public static func fail(_ request: Request, _ context: FunctionContext) async throws -> Response {
        struct InternalDetail: Error { let secretPath = "/etc/uptime-bridge/token" }
        throw InternalDetail()
    }

    /// `POST /_debug/echo`: answers with the body length, to exercise body reading.
    @Sendable
    public static func echo(_ request: Request, _ context: FunctionContext) async throws -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.member("bytes", request.body.count)
        json.endObject()
        return .json(json.bytes, cacheControl: "no-store")
    }
}
