/// One HTTP request handed to an ``OutboundTransport``.
///
/// Its `description` hides the `Authorization` header value, so printing a request in a test
/// or a log never leaks a credential.
public struct OutboundRequest: Sendable, CustomStringConvertible {
    /// `GET`, `POST`, …
    public var method: String
    /// The absolute URL, including any query string.
    public var url: String
    /// Header fields in order.
    public var headers: [(name: String, value: String)]
    /// The body, if any.
    public var body: [UInt8]?
    /// Deadline for the whole exchange.
    public var timeout: Duration
    /// A larger response body fails instead of exhausting memory.
    public var maxResponseBytes: Int

    /// A request.
    public init(
        method: String,
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil,
        timeout: Duration = .seconds(30),
        maxResponseBytes: Int = 32 << 20
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var description: String {
        let shown = headers.map { field in
            field.name.lowercased() == "authorization" ? "\(field.name): <redacted>" : "\(field.name): \(field.value)"
        }
        return "\(method) \(url) [\(shown.joined(separator: ", "))]" + (body.map { " body: \($0.count) bytes" } ?? "")
    }
}
