import BetterStack
import Synchronization

/// A scripted ``HTTPTransport``: answers from a closure or a queue, and records every request.
final class MockTransport: HTTPTransport, Sendable {
    enum Reply: Sendable {
        case response(HTTPTransportResponse)
        case failure(HTTPTransportError)

        static func json(_ status: Int, _ body: String, headers: HTTPTransportHeaders = [:]) -> Reply {
            .response(HTTPTransportResponse(status: status, headers: headers, body: Array(body.utf8)))
        }

        static func bytes(_ status: Int, _ body: [UInt8], headers: HTTPTransportHeaders = [:]) -> Reply {
            .response(HTTPTransportResponse(status: status, headers: headers, body: body))
        }
    }

    private let handler: @Sendable (HTTPTransportRequest, Int) -> Reply
    private let log = Mutex<[HTTPTransportRequest]>([])

    /// Answers request number `n` (0-based) with `handler(request, n)`.
    init(handler: @escaping @Sendable (HTTPTransportRequest, Int) -> Reply) {
        self.handler = handler
    }

    /// Answers with `replies` in order; the last one repeats.
    convenience init(_ replies: [Reply]) {
        precondition(!replies.isEmpty)
        self.init { _, index in replies[min(index, replies.count - 1)] }
    }

    var requests: [HTTPTransportRequest] { log.withLock { $0 } }

    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        let index = log.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        switch handler(request, index) {
        case .response(let response): return response
        case .failure(let error): throw error
        }
    }
}
