import OpenTSDB
import Synchronization
import UpstreamHTTP

/// A scripted ``HTTPTransport``: records every request and answers with `responder`, which
/// gets the request and its 1-based number.
final class MockTransport: HTTPTransport {
    typealias Responder = @Sendable (HTTPTransportRequest, Int) throws -> HTTPTransportResponse

    private let recorded = Mutex<[HTTPTransportRequest]>([])
    private let responder: Responder

    init(_ responder: @escaping Responder) {
        self.responder = responder
    }

    /// Always the same answer.
    convenience init(status: Int, body: String = "") {
        self.init { _, _ in HTTPTransportResponse(status: status, body: Array(body.utf8)) }
    }

    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        let number = recorded.withLock {
            $0.append(request)
            return $0.count
        }
        return try responder(request, number)
    }

    /// Every request so far.
    var requests: [HTTPTransportRequest] { recorded.withLock { $0 } }
}

/// A sleep seam (``UpstreamSleep``) that returns at once and remembers what it was asked to wait.
final class RecordingSleeper: Sendable {
    private let recorded = Mutex<[Duration]>([])

    func sleep(for duration: Duration) async throws {
        recorded.withLock { $0.append(duration) }
        try Task.checkCancellation()
    }

    var waits: [Duration] { recorded.withLock { $0 } }

    /// This recorder as the clients' sleep seam.
    var seam: UpstreamSleep { { try await self.sleep(for: $0) } }
}

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
