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
