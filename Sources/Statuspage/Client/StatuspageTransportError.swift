import UpstreamHTTP

/// Why a page gave no complete response, in the four kinds a probe reports (and the bridge counts):
/// the transport's ``HTTPTransportError`` read the way the exporter reads its `requests` errors.
public struct StatuspageTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Connect or read took longer than the timeout.
        case timeout
        /// Refused, reset, closed early, TLS failure, DNS failure…
        case connection
        /// The body exceeded the client's limit.
        case bodyTooLarge
        /// The URL could not be used.
        case invalidURL
    }

    public var kind: Kind
    /// What the underlying client said.
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// The kind of a transport failure; anything that is not an ``HTTPTransportError`` (a
    /// cancellation, say) counts as a connection failure.
    public init(_ error: any Error) {
        guard let error = error as? HTTPTransportError else {
            self.init(.connection, "\(error)")
            return
        }
        switch error {
        case .timeout: self.init(.timeout, error.description)
        case .responseTooLarge: self.init(.bodyTooLarge, error.description)
        case .invalidRequest: self.init(.invalidURL, error.description)
        case .connectionFailed, .connectionReset, .other: self.init(.connection, error.description)
        }
    }

    public var description: String { "\(kind.rawValue): \(detail)" }
}

extension StatuspageTransportError.Kind {
    /// The kind for an ``HTTPTransportError/kind`` as the pipeline reports it.
    init(transportKind: String) {
        switch transportKind {
        case "timeout": self = .timeout
        case "response_too_large": self = .bodyTooLarge
        case "invalid_request": self = .invalidURL
        default: self = .connection
        }
    }
}
