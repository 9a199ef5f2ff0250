import Statuspage
import Synchronization
import UpstreamHTTP

/// A scripted ``HTTPTransport``: answers (or throws) from a queue, one per request, and records
/// what was asked. The last script entry repeats when the queue runs out.
final class MockTransport: HTTPTransport {
    enum Step: Sendable {
        case respond(HTTPTransportResponse)
        case fail(HTTPTransportError)
    }

    struct Request: Sendable {
        var url: String
        var headers: [(String, String)]
        var timeout: Duration
    }

    private let script: Mutex<[Step]>
    private let log = Mutex<[Request]>([])

    init(_ steps: [Step]) {
        precondition(!steps.isEmpty)
        self.script = Mutex(steps)
    }

    /// Always answers `status` with `body`.
    convenience init(status: Int = 200, body: [UInt8]) {
        self.init([.respond(HTTPTransportResponse(status: status, body: body))])
    }

    var requests: [Request] { log.withLock { $0 } }

    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        let headers = request.headers.map { ($0.name, $0.value) }
        log.withLock { $0.append(Request(url: request.url, headers: headers, timeout: request.timeout)) }
        let step = script.withLock { steps in steps.count > 1 ? steps.removeFirst() : steps[0] }
        switch step {
        case .respond(let response): return response
        case .fail(let error): throw error
        }
    }
}
