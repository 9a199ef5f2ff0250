/// A complete HTTP response returned by an ``HTTPTransport``.
public struct HTTPTransportResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Response header fields.
    public var headers: HTTPTransportHeaders
    /// The whole body.
    public var body: [UInt8]

    /// A response.
    public init(status: Int, headers: HTTPTransportHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

extension HTTPTransportResponse {
    /// The body as text, cut to `limit` characters with an ellipsis, on one line: for error messages.
    public func bodyExcerpt(limit: Int = 200) -> String {
        BodyExcerpt.make(body, limit: limit)
    }
}
