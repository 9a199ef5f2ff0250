/// Failures below HTTP, classified so that the client can decide whether to retry.
public enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No complete response within the request's timeout.
    case timeout
    /// The connection could not be established (DNS, refused, TLS handshake, …).
    case connectionFailed(String)
    /// The peer closed or reset the connection before the response was complete.
    case connectionReset
    /// The response body was larger than the request's `maxResponseBytes`.
    case responseTooLarge(limit: Int)
    /// The request could not be sent as built (bad URL, bad method).
    case invalidRequest(String)
    /// Anything else the HTTP library reported.
    case other(String)

    /// Whether sending the same request again might succeed.
    public var isRetryable: Bool {
        switch self {
        case .timeout, .connectionFailed, .connectionReset: true
        case .responseTooLarge, .invalidRequest, .other: false
        }
    }

    /// A short machine-friendly name, e.g. for metric labels.
    public var kind: String {
        switch self {
        case .timeout: "timeout"
        case .connectionFailed: "connection_failed"
        case .connectionReset: "connection_reset"
        case .responseTooLarge: "response_too_large"
        case .invalidRequest: "invalid_request"
        case .other: "transport_error"
        }
    }

    public var description: String {
        switch self {
        case .timeout: "timed out"
        case .connectionFailed(let detail): "connection failed: \(detail)"
        case .connectionReset: "connection reset by peer"
        case .responseTooLarge(let limit): "response body larger than \(limit) bytes"
        case .invalidRequest(let detail): "invalid request: \(detail)"
        case .other(let detail): detail
        }
    }
}
