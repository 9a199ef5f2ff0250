/// How the client reaches a status page: one GET, the whole (bounded) body back.
///
/// ``HTTPClientTransport`` (AsyncHTTPClient) is the production one; tests pass a mock. A
/// transport answers every HTTP status as a response and throws
/// ``StatuspageTransportError`` only when there is no complete response (timeout, refused or
/// reset connection, body cut short or too large).
public protocol StatuspageTransport: Sendable {
    /// GETs `url` with `headers`, giving up after `timeout`.
    func get(_ url: String, headers: [(String, String)], timeout: Duration) async throws(StatuspageTransportError)
        -> StatuspageHTTPResponse
}

/// A complete HTTP response.
public struct StatuspageHTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.0.lowercased() == wanted }?.1
    }
}

/// Why a transport got no complete response.
public struct StatuspageTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Connect or read took longer than the timeout.
        case timeout
        /// Refused, reset, closed early, TLS failure, DNS failure…
        case connection
        /// The body exceeded the transport's limit.
        case bodyTooLarge
        /// The URL could not be used.
        case invalidURL
    }

    public var kind: Kind
    /// What the underlying client said.
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "\(kind.rawValue): \(detail)" }
}
