/// A complete HTTP response returned by an ``OutboundTransport``.
public struct OutboundResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields in order.
    public var headers: [(name: String, value: String)]
    /// The whole body.
    public var body: [UInt8]

    /// A response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as text, cut to `limit` characters with an ellipsis, one line: for error messages.
    public func bodyExcerpt(limit: Int = 200) -> String {
        BodyExcerpt.make(body, limit: limit)
    }
}
