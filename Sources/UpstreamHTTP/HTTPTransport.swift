/// The HTTP layer under every upstream client (Better Stack, OpenTSDB receivers, Catchpoint), small
/// enough to fake in tests and in the sandbox.
///
/// Implementations send one request and return the complete response (status, headers, body).
/// They do not retry and do not interpret statuses; that is the client's job. Failures below
/// HTTP are thrown as ``HTTPTransportError`` so that retry decisions can be made on kinds
/// rather than on strings.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the full response, or throws ``HTTPTransportError``.
    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse
}
