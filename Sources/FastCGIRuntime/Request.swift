/// An HTTP request as a function sees it: nothing here knows whether it came over FastCGI, CGI or a test.
public struct Request: Sendable {
    /// Upper-case HTTP method (`GET`, `POST`, …).
    public var method: String
    /// The route path below the configured base path, always starting with `/`.
    public var path: String
    /// Query items in the order they were sent, percent-decoded; repeated keys are kept.
    public var query: [QueryItem]
    /// Request headers; names are lower-cased.
    public var headers: Headers
    /// The request body (already bounded by the runtime's size limit).
    public var body: [UInt8]
    /// The peer address as the web server reported it (`REMOTE_ADDR`), if any.
    public var remoteAddress: String?

    public init(
        method: String,
        path: String,
        query: [QueryItem] = [],
        headers: Headers = Headers(),
        body: [UInt8] = [],
        remoteAddress: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The first value of a query parameter, or `nil` when it is absent.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// Every value of a query parameter, in order.
    public func queryValues(_ name: String) -> [String] {
        query.compactMap { $0.name == name ? $0.value : nil }
    }
}

/// One `name=value` pair of a query string.
public struct QueryItem: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name)=\(value)" }
}

/// A small ordered header list with case-insensitive lookup (names are stored lower-cased).
///
/// The server side's headers: a request's as the gateway passed them (`HTTP_*` parameters) and an
/// answer's. Deliberately not UpstreamHTTP's `HTTPTransportHeaders`, the client side's, which keeps
/// names as sent: the runtime does not depend on the HTTP client module (it serves without one),
/// and lower-casing once on the way in makes every lookup on the request path a plain comparison.
public struct Headers: Sendable, Equatable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { add(name, value) }
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name.lowercased(), value))
    }

    /// Replaces every field of that name with one value.
    public mutating func set(_ name: String, _ value: String) {
        let lower = name.lowercased()
        fields.removeAll { $0.name == lower }
        fields.append((lower, value))
    }

    public subscript(_ name: String) -> String? {
        let lower = name.lowercased()
        return fields.first { $0.name == lower }?.value
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    public static func == (lhs: Headers, rhs: Headers) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}
