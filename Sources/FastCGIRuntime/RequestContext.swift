import Logging

/// What the runtime knows about a request before any function runs.
public struct RequestInfo: Sendable {
    /// An id for correlating a response with log lines (`X-Request-ID` when the web server sends one).
    public var requestID: String
    /// A logger already carrying the request id as metadata.
    public var logger: Logger

    public init(requestID: String, logger: Logger) {
        self.requestID = requestID
        self.logger = logger
    }
}

/// The per-request context a function receives. The application defines the concrete type;
/// the runtime only needs the request id and a logger.
public protocol RequestContext: Sendable {
    var requestID: String { get }
    var logger: Logger { get }
}

/// A function: a stateless handler that knows nothing of FastCGI, CGI or sockets.
public typealias Handler<Context: RequestContext> = @Sendable (Request, Context) async throws -> Response

/// A function that answers without waiting for anything (no upstream, no cache load, no sleep).
/// The FastCGI responder runs it on the thread that read the request, without a task hop: the
/// health check costs what its bytes cost.
public typealias ImmediateHandler<Context: RequestContext> = @Sendable (Request, Context) throws -> Response
