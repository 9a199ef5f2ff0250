/// One HTTP response produced by a route, before any fault is applied to it.
public struct SandboxResponse: Sendable {
    /// Status code, e.g. 200.
    public var status: Int
    /// Headers besides `Content-Length` and `Connection`, which the server sets itself.
    public var headers: [(String, String)] = []
    /// The body.
    public var body: [UInt8] = []

    /// A JSON body (compact, UTF-8).
    public static func json(_ value: JSON, status: Int = 200) -> SandboxResponse {
        json(bytes: value.bytes, status: status)
    }

    /// An already rendered JSON body.
    public static func json(bytes: [UInt8], status: Int = 200) -> SandboxResponse {
        SandboxResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: bytes)
    }

    /// A plain-text body.
    public static func text(_ text: String, status: Int) -> SandboxResponse {
        SandboxResponse(
            status: status,
            headers: [("Content-Type", "text/plain; charset=utf-8")],
            body: Array(text.utf8)
        )
    }

    /// The Uptime API's error shape, `{"errors": "<message>"}`.
    public static func errors(_ message: String, status: Int) -> SandboxResponse {
        json(.object([("errors", .string(message))]), status: status)
    }
}
