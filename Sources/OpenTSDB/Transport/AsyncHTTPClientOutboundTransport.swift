import AsyncHTTPClient

/// The production ``OutboundTransport``: AsyncHTTPClient on a process-wide client.
///
/// By default that is ``pushClient``, not `HTTPClient.shared`: the shared client keeps retrying
/// a refused connection until the request's deadline, so an unreachable receiver would cost
/// `attempts × timeout` (two minutes with the defaults) before the job could say so. The push
/// job has its own bounded retries; its client fails a refused connection at once.
public struct AsyncHTTPClientOutboundTransport: OutboundTransport {
    /// `HTTPClient.shared`'s settings, except that connection failures are reported at once
    /// and connecting may take at most 10 s. Never shut down, like the shared client.
    public static let pushClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    private let client: HTTPClient

    /// A transport on `client` (``pushClient`` unless given; `.shared` works too).
    public init(client: HTTPClient? = nil) {
        self.client = client ?? Self.pushClient
    }

    public func send(_ request: OutboundRequest) async throws -> OutboundResponse {
        var clientRequest = HTTPClientRequest(url: request.url)
        clientRequest.method = .init(rawValue: request.method)
        for field in request.headers {
            clientRequest.headers.add(name: field.name, value: field.value)
        }
        if let body = request.body {
            clientRequest.body = .bytes(body)
        }
        do {
            let response = try await client.execute(
                clientRequest,
                timeout: .nanoseconds(Self.nanoseconds(request.timeout))
            )
            let buffer = try await response.body.collect(upTo: request.maxResponseBytes)
            return OutboundResponse(
                status: Int(response.status.code),
                headers: response.headers.map { (name: $0.name, value: $0.value) },
                body: Array(buffer.readableBytesView)
            )
        } catch {
            // AsyncHTTPClient reports a cancelled task as its own error; keep it a cancellation.
            if error is CancellationError || Task.isCancelled { throw CancellationError() }
            throw Self.classify(error, maxResponseBytes: request.maxResponseBytes)
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue + attoseconds / 1_000_000_000)
    }

    /// Maps AsyncHTTPClient and SwiftNIO errors to transport error kinds.
    ///
    /// NIO's error types live in modules this target does not import, so the less common ones are
    /// recognised by type name and errno text.
    static func classify(_ error: any Error, maxResponseBytes: Int) -> OutboundTransportError {
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
                return .timeout
            case .remoteConnectionClosed:
                return .connectionReset
            case .invalidURL, .emptyHost, .emptyScheme:
                return .invalidRequest(String(describing: clientError))
            default:
                return .other(String(describing: clientError))
            }
        }
        let typeName = String(reflecting: type(of: error))
        let text = String(describing: error)
        if typeName.hasSuffix("NIOTooManyBytesError") {
            return .responseTooLarge(limit: maxResponseBytes)
        }
        if text.contains("Connection refused") || text.contains("ECONNREFUSED") || text.contains("errno: 111)") {
            return .connectionFailed("connection refused")
        }
        if typeName.hasSuffix("NIOConnectionError") || text.contains("Connection refused")
            || text.contains("ECONNREFUSED") || typeName.contains("Resolution") || typeName.contains("NIOSSL")
        {
            return .connectionFailed(text)
        }
        if text.contains("Connection reset") || text.contains("ECONNRESET") || text.contains("Broken pipe")
            || text.contains("ioOnClosedChannel") || text.contains("EPIPE")
        {
            return .connectionReset
        }
        return .other(text)
    }
}
