/// An error that knows the HTTP answer it stands for, whichever layer throws it (as hummingbird's
/// `HTTPResponseError`): a Better Stack rate limit is a 503 with `Retry-After`, an unknown monitor
/// a 404. The router (and the request limits, which add their headers) render it; a function never
/// translates errors by hand, so none can be missed into a 500. Anything else a function throws
/// is an internal error: a 500 with the request id, the details only in the log.
public protocol HTTPResponseError: Error {
    /// The answer: status, message (shown to the client: never a secret or an internal detail),
    /// extra fields and headers.
    var httpError: HTTPError { get }
}

extension HTTPError: HTTPResponseError {
    public var httpError: HTTPError { self }
}
