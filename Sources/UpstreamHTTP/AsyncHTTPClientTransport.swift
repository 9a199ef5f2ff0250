import AsyncHTTPClient

/// The production ``HTTPTransport``: AsyncHTTPClient, by default on the bridge's process-wide
/// client ``bridgeHTTPClient`` (see there why not `HTTPClient.shared`).
///
/// AsyncHTTPClient strips `Authorization` on cross-origin redirects, so a redirect can not carry
/// the API token to another host.
public struct AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient

    /// A transport on `client` (by default ``bridgeHTTPClient``, which must not be shut down).
    public init(client: HTTPClient = AsyncHTTPClientTransport.bridgeHTTPClient) {
        self.client = client
    }

    public func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        var clientRequest = HTTPClientRequest(url: request.url)
        clientRequest.method = .init(rawValue: request.method)
        for field in request.headers {
            clientRequest.headers.add(name: field.name, value: field.value)
        }
        if let body = request.body {
            clientRequest.body = .bytes(body)
        }
        let nanoseconds = Self.nanoseconds(request.timeout)
        do {
            let response = try await client.execute(clientRequest, timeout: .nanoseconds(nanoseconds))
            let buffer = try await response.body.collect(upTo: request.maxResponseBytes)
            var headers = HTTPTransportHeaders()
            for (name, value) in response.headers {
                headers.add(name: name, value: value)
            }
            return HTTPTransportResponse(
                status: Int(response.status.code),
                headers: headers,
                body: Array(buffer.readableBytesView)
            )
        } catch let error as HTTPTransportError {
            throw error
        } catch {
            // AsyncHTTPClient reports task cancellation as its own error; keep it a cancellation.
            if error is CancellationError || Task.isCancelled {
                throw CancellationError()
            }
            throw Self.classify(error, maxResponseBytes: request.maxResponseBytes)
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue + attoseconds / 1_000_000_000)
    }

    /// Maps AsyncHTTPClient and SwiftNIO errors to transport error kinds.
    ///
    /// NIO's error types live in modules this target does not import directly, so the less
    /// common ones are recognised by type name and errno text.
    package static func classify(_ error: any Error, maxResponseBytes: Int) -> HTTPTransportError {
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
                return .timeout
            case .remoteConnectionClosed:
                return .connectionReset
            case .invalidURL, .emptyHost, .emptyScheme:
                return .invalidRequest(String(describing: clientError))
            case .cancelled:
                return .other("request cancelled")
            default:
                return .other(String(describing: clientError))
            }
        }
        let typeName = String(reflecting: type(of: error))
        let text = String(describing: error)
        if typeName.hasSuffix("NIOTooManyBytesError") {
            return .responseTooLarge(limit: maxResponseBytes)
        }
        if typeName.hasSuffix("NIOConnectionError") || typeName.hasSuffix("ConnectionRefused")
            || text.contains("Connection refused") || text.contains("ECONNREFUSED")
        {
            return .connectionFailed(text)
        }
        // NIO's HTTPParserError.invalidEOFState: the peer closed before the announced body was
        // complete. The same broken exchange as a reset, and as worth retrying.
        let closedMidResponse = typeName.hasSuffix("HTTPParserError") && text == "stream ended at an unexpected time"
        if closedMidResponse || text.contains("Connection reset") || text.contains("ECONNRESET")
            || text.contains("Broken pipe") || text.contains("ioOnClosedChannel") || text.contains("EPIPE")
        {
            return .connectionReset
        }
        if typeName.contains("NIOSSL") || typeName.contains("Resolution") || typeName.contains("DNS") {
            return .connectionFailed(text)
        }
        return .other(text)
    }
}
