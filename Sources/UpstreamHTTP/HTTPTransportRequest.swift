/// One HTTP request as handed to an ``HTTPTransport``.
///
/// Its `description` and reflection hide the `Authorization` header value and heartbeat tokens in
/// the path, so dumping a request in a test or a log never leaks a credential.
public struct HTTPTransportRequest: Sendable, CustomStringConvertible, CustomReflectable {
    /// `GET`, `POST`, …
    public var method: String
    /// The absolute URL, including any query string.
    public var url: String
    /// Request header fields.
    public var headers: HTTPTransportHeaders
    /// The request body, if any.
    public var body: [UInt8]?
    /// The deadline for the whole exchange, from connecting to the last body byte.
    public var timeout: Duration
    /// Responses with more body bytes than this fail instead of exhausting memory.
    public var maxResponseBytes: Int

    /// A request; the default body limit fits a day of response times for four regions many times over.
    public init(
        method: String,
        url: String,
        headers: HTTPTransportHeaders = [:],
        body: [UInt8]? = nil,
        timeout: Duration,
        maxResponseBytes: Int = 64 << 20
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    public var description: String {
        let shownHeaders = headers.map { field in
            field.name.lowercased() == "authorization" ? "\(field.name): <redacted>" : "\(field.name): \(field.value)"
        }
        return "\(method) \(URLRedaction.redact(url)) [\(shownHeaders.joined(separator: ", "))]"
            + (body.map { " body: \($0.count) bytes" } ?? "")
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: ["summary": description, "timeout": timeout],
            displayStyle: .struct
        )
    }
}
