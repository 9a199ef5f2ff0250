import UpstreamHTTP

/// Sends requests to `receiver` when their URL starts with `receiverBase`, else to `other`
/// (the real HTTP client, for the sandbox).
struct RoutingTransport: HTTPTransport {
    let receiverBase: String
    let receiver: any HTTPTransport
    let other: any HTTPTransport

    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        try await (Self.isUnder(request.url, receiverBase) ? receiver : other).send(request)
    }

    /// Same origin, not a string prefix: a sandbox on port 42421 is not the receiver on 4242.
    static func isUnder(_ url: String, _ base: String) -> Bool {
        guard url.hasPrefix(base) else { return false }
        let rest = url.dropFirst(base.count)
        return rest.isEmpty || rest.first == "/" || rest.first == "?"
    }
}
