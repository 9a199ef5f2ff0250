import BetterStack
import Synchronization

/// Passes every request to a real transport and records it, so that request dumps can be
/// checked for secrets in tests that talk to a live server.
final class RecordingTransport: HTTPTransport, Sendable {
    private let wrapped: any HTTPTransport
    private let log = Mutex<[HTTPTransportRequest]>([])

    init(_ wrapped: any HTTPTransport) {
        self.wrapped = wrapped
    }

    var requests: [HTTPTransportRequest] { log.withLock { $0 } }

    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        log.withLock { $0.append(request) }
        return try await wrapped.send(request)
    }
}
