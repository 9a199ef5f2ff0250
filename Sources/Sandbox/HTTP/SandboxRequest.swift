/// One HTTP request as the sandbox's routes see it: no NIO types, so routes can be called
/// directly from tests and new fakes (Statuspage, Catchpoint) need nothing of the transport.
public struct SandboxRequest: Sendable {
    /// Upper-case method, e.g. `GET`.
    public var method: String
    /// The path without the query, still percent-encoded.
    public var path: String
    /// The query string as received (no leading `?`), `""` when absent.
    public var rawQuery: String
    /// Header names and values in arrival order.
    public var headers: [(String, String)]
    /// The whole request body.
    public var body: [UInt8]

    /// Creates a request from a target such as `/api/v2/monitors?page=2`.
    public init(method: String, target: String, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.method = method.uppercased()
        if let mark = target.firstIndex(of: "?") {
            self.path = String(target[..<mark])
            self.rawQuery = String(target[target.index(after: mark)...])
        } else {
            self.path = target
            self.rawQuery = ""
        }
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first(where: { $0.0.lowercased() == wanted })?.1
    }

    /// The query as decoded name/value pairs in order (`+` is a space, as Rails reads it).
    public var queryItems: [(name: String, value: String)] {
        QueryString.pairs(rawQuery).map { (QueryString.decode($0.name), QueryString.decode($0.value)) }
    }

    /// The first decoded value of a query parameter; an empty value counts as absent.
    public func query(_ name: String) -> String? {
        guard let value = queryItems.first(where: { $0.name == name })?.value, !value.isEmpty else { return nil }
        return value
    }

    /// The token of an `Authorization: Bearer <token>` header.
    public var bearerToken: String? {
        guard let value = header("Authorization") else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingSpaces()
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
