import FastCGIRuntime

/// Optional access control for everything the bridge serves: a bearer token and/or basic-auth
/// credentials, as Grafana datasources and Prometheus can send them. Off by default, which the
/// executable only allows when listening on loopback or a unix socket.
public struct AccessPolicy: Sendable {
    let bearerToken: [UInt8]?
    let basicCredentials: [UInt8]?

    public static let open = AccessPolicy(bearerToken: nil, basicUser: nil, basicPassword: nil)

    public init(bearerToken: String?, basicUser: String?, basicPassword: String?) {
        self.bearerToken = bearerToken.map { Array($0.utf8) }
        if let basicUser, let basicPassword {
            basicCredentials = Array(Base64.encode(Array("\(basicUser):\(basicPassword)".utf8)).utf8)
        } else {
            basicCredentials = nil
        }
    }

    public var isOpen: Bool { bearerToken == nil && basicCredentials == nil }

    /// Whether the request carries acceptable credentials.
    func allows(_ request: Request) -> Bool {
        if isOpen { return true }
        guard let header = request.headers["authorization"] else { return false }
        let bytes = Array(header.utf8)
        if let bearerToken, let presented = Self.credentials(bytes, scheme: "bearer") {
            if Self.constantTimeEquals(presented, bearerToken) { return true }
        }
        if let basicCredentials, let presented = Self.credentials(bytes, scheme: "basic") {
            if Self.constantTimeEquals(presented, basicCredentials) { return true }
        }
        return false
    }

    /// The 401 answer, with the challenge Grafana and browsers understand.
    func challenge(requestID: String) -> Response {
        var response = Response.error(401, "authentication required", requestID: requestID)
        response.headers.set(
            "WWW-Authenticate",
            basicCredentials != nil ? "Basic realm=\"uptime-bridge\"" : "Bearer realm=\"uptime-bridge\""
        )
        return response
    }

    /// Wraps a function so it only runs for authorized requests.
    func guarding(_ handler: @escaping Handler<FunctionContext>) -> Handler<FunctionContext> {
        if isOpen { return handler }
        let policy = self
        return { request, context in
            guard policy.allows(request) else { return policy.challenge(requestID: context.requestID) }
            return try await handler(request, context)
        }
    }

    /// ``guarding(_:)`` for a function that never waits.
    func guarding(_ handler: @escaping ImmediateHandler<FunctionContext>) -> ImmediateHandler<FunctionContext> {
        if isOpen { return handler }
        let policy = self
        return { request, context in
            guard policy.allows(request) else { return policy.challenge(requestID: context.requestID) }
            return try handler(request, context)
        }
    }

    static func credentials(_ header: [UInt8], scheme: String) -> [UInt8]? {
        let prefix = Array(scheme.utf8)
        guard header.count > prefix.count + 1 else { return nil }
        for (index, byte) in prefix.enumerated() where (header[index] | 0x20) != byte {
            return nil
        }
        guard header[prefix.count] == 0x20 else { return nil }
        return Array(header[(prefix.count + 1)...].drop { $0 == 0x20 })
    }

    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}

/// Standard Base64 (RFC 4648) for basic-auth credentials.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x3) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0xF) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
