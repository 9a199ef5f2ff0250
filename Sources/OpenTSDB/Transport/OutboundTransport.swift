/// The HTTP layer under the push job's clients (the OpenTSDB writer, the Catchpoint client),
/// small enough to fake in tests.
///
/// An implementation sends one request and returns the complete response. It does not retry and
/// does not interpret statuses; the clients do. Failures below HTTP are thrown as
/// ``OutboundTransportError`` so that retry decisions are made on kinds, not on strings.
///
/// It lives in `OpenTSDB` because every push-side module already depends on this one; the
/// Better Stack client has its own transport of the same shape.
public protocol OutboundTransport: Sendable {
    /// Sends `request` and returns the full response, or throws ``OutboundTransportError``.
    func send(_ request: OutboundRequest) async throws -> OutboundResponse
}
