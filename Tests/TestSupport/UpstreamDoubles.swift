import Synchronization
import UpstreamHTTP

/// The one scripted ``HTTPTransport`` of the test suites: answers from a handler or a queue of
/// replies, and records every request, for every client (Better Stack, Statuspage, Catchpoint,
/// OpenTSDB) since they all send through UpstreamHTTP.
public final class MockTransport: HTTPTransport, Sendable {
    public enum Reply: Sendable {
        case response(HTTPTransportResponse)
        case failure(HTTPTransportError)

        public static func json(_ status: Int, _ body: String, headers: HTTPTransportHeaders = [:]) -> Reply {
            .response(HTTPTransportResponse(status: status, headers: headers, body: Array(body.utf8)))
        }

        public static func bytes(_ status: Int, _ body: [UInt8], headers: HTTPTransportHeaders = [:]) -> Reply {
            .response(HTTPTransportResponse(status: status, headers: headers, body: body))
        }
    }

    private let handler: @Sendable (HTTPTransportRequest, Int) throws -> Reply
    private let log = Mutex<[HTTPTransportRequest]>([])

    /// Answers request number `n` (0-based) with `handler(request, n)`; what it throws, `send`
    /// throws.
    public init(handler: @escaping @Sendable (HTTPTransportRequest, Int) throws -> Reply) {
        self.handler = handler
    }

    /// Answers with `replies` in order; the last one repeats.
    public convenience init(_ replies: [Reply]) {
        precondition(!replies.isEmpty)
        self.init { _, index in replies[min(index, replies.count - 1)] }
    }

    /// Always `status` with `body`.
    public convenience init(status: Int, body: String = "") {
        self.init([.json(status, body)])
    }

    /// Every request so far, in order.
    public var requests: [HTTPTransportRequest] { log.withLock { $0 } }

    public func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        let index = log.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        switch try handler(request, index) {
        case .response(let response): return response
        case .failure(let error): throw error
        }
    }
}

/// Records retry waits instead of sleeping (``UpstreamSleep``), so retry tests take no time.
public final class SleepRecorder: Sendable {
    private let waits = Mutex<[Duration]>([])

    public init() {}

    /// Every wait asked for, in order.
    public var all: [Duration] { waits.withLock { $0 } }

    /// Records the wait and returns at once (throwing if the task is cancelled, as a sleep would).
    public var sleep: UpstreamSleep {
        { duration in
            self.waits.withLock { $0.append(duration) }
            try Task.checkCancellation()
        }
    }

    /// Records the wait, then really sleeps, but at most `cap`: retries against a live server
    /// still go through a suspension, without the test waiting out a `Retry-After`.
    public func sleep(cappedAt cap: Duration) -> UpstreamSleep {
        { duration in
            self.waits.withLock { $0.append(duration) }
            try await Task.sleep(for: min(duration, cap))
        }
    }
}

/// Collects ``UpstreamEvent``s from an observer.
public final class EventRecorder: Sendable {
    private let events = Mutex<[UpstreamEvent]>([])

    public init() {}

    public var all: [UpstreamEvent] { events.withLock { $0 } }

    public var observer: UpstreamObserver {
        { event in self.events.withLock { $0.append(event) } }
    }
}
