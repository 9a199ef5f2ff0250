/// An HTTP response as a function returns it: status, headers and body bytes.
public struct Response: Sendable {
    public var status: Int
    public var headers: Headers
    public var body: [UInt8]

    public init(status: Int = 200, headers: Headers = Headers(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response. `body` must already be JSON.
    public static func json(_ body: [UInt8], status: Int = 200, cacheControl: String? = nil) -> Response {
        var headers = Headers()
        headers.add("Content-Type", "application/json")
        if let cacheControl { headers.add("Cache-Control", cacheControl) }
        return Response(status: status, headers: headers, body: body)
    }

    /// A JSON error body `{"error": message, …extra}`; errors are never cached by nginx or browsers.
    public static func error(
        _ status: Int,
        _ message: String,
        extra: [(String, JSONWriter.Scalar)] = [],
        requestID: String? = nil
    ) -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("error")
        writer.string(message)
        for (key, value) in extra {
            writer.key(key)
            writer.scalar(value)
        }
        if let requestID {
            writer.key("request_id")
            writer.string(requestID)
        }
        writer.endObject()
        return .json(writer.bytes, status: status, cacheControl: "no-store")
    }
}

/// Reason phrases for the `Status:` CGI header.
public enum HTTPStatus {
    public static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status \(status)"
        }
    }
}

/// An error a function throws to answer with a specific status and a JSON error body.
///
/// Its `message` is shown to the client, so it must never carry a secret or an internal detail.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var message: String
    public var extra: [(String, JSONWriter.Scalar)]
    public var headers: Headers

    public init(_ status: Int, _ message: String, extra: [(String, JSONWriter.Scalar)] = [], headers: Headers = Headers())
    {
        self.status = status
        self.message = message
        self.extra = extra
        self.headers = headers
    }

    public var description: String { "HTTP \(status): \(message)" }

    /// The response this error stands for.
    public func response(requestID: String? = nil) -> Response {
        var response = Response.error(status, message, extra: extra, requestID: requestID)
        for (name, value) in headers { response.headers.set(name, value) }
        return response
    }
}
