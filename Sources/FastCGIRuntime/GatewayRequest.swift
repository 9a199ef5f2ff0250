/// Turns the CGI/FastCGI parameters of a request into a ``Request`` (the body is read separately).
///
/// Routing rule, the same for FastCGI and CGI:
/// - a non-empty `PATH_INFO` is the route path (CGI: `/cgi-bin/uptime-bridge.cgi/sla`; nginx with
///   `fastcgi_split_path_info`);
/// - otherwise, under FastCGI, the request path (`DOCUMENT_URI`, else `REQUEST_URI` without its query)
///   with the configured base path stripped; a path outside the base path is a 404;
/// - otherwise, under CGI, `/` (the script itself was requested).
public struct GatewayRequest: Sendable {
    public var request: Request
    /// `CONTENT_LENGTH` as declared, if any.
    public var declaredLength: Int?
    /// The `X-Request-ID` header, if the web server forwarded one.
    public var forwardedRequestID: String?
}

/// Limits and routing settings shared by the FastCGI and CGI front ends.
public struct GatewayOptions: Sendable {
    /// Route paths live under this prefix (`/uptime`); empty for none.
    public var basePath: String
    /// Largest accepted request body (413 above it).
    public var maxBodyBytes: Int
    /// Largest accepted query string (414 above it).
    public var maxQueryBytes: Int

    public init(basePath: String = "", maxBodyBytes: Int = 1 << 20, maxQueryBytes: Int = 8192) {
        var base = basePath
        while base.hasSuffix("/") { base.removeLast() }
        if !base.isEmpty, !base.hasPrefix("/") { base = "/" + base }
        self.basePath = base
        self.maxBodyBytes = maxBodyBytes
        self.maxQueryBytes = maxQueryBytes
    }
}

extension GatewayRequest {
    /// The CGI variables the runtime reads besides the `HTTP_*` headers.
    static let interestingVariables: Set<String> = [
        "REQUEST_METHOD", "DOCUMENT_URI", "REQUEST_URI", "PATH_INFO", "QUERY_STRING",
        "CONTENT_LENGTH", "CONTENT_TYPE", "REMOTE_ADDR", "SCRIPT_NAME",
    ]

    /// Parses the request head from `NAME=value` environment entries.
    ///
    /// - Throws: ``HTTPError`` 404 (outside the base path), 414 (query too long), 413 (declared body too large),
    ///   400 (malformed `CONTENT_LENGTH`).
    public static func parse(
        environment: [String: String],
        options: GatewayOptions,
        isCGI: Bool
    ) throws(HTTPError) -> GatewayRequest {
        let method = (environment["REQUEST_METHOD"] ?? "GET").uppercased()
        let rawQuery = environment["QUERY_STRING"] ?? ""
        if rawQuery.utf8.count > options.maxQueryBytes {
            throw HTTPError(414, "query string too long", extra: [("limit_bytes", .int(Int64(options.maxQueryBytes)))])
        }

        let path: String
        if let info = environment["PATH_INFO"], !info.isEmpty {
            path = info
        } else if isCGI {
            path = "/"
        } else {
            let full: String
            if let uri = environment["DOCUMENT_URI"], !uri.isEmpty {
                full = uri
            } else if let uri = environment["REQUEST_URI"] {
                full = QueryString.decodePath(uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/")
            } else {
                full = "/"
            }
            guard let below = strip(base: options.basePath, from: full) else {
                throw HTTPError(404, "no such endpoint", extra: [("path", .string(full))])
            }
            path = below
        }

        var headers = Headers()
        for (name, value) in environment where name.hasPrefix("HTTP_") {
            headers.add(headerName(fromCGI: name), value)
        }
        if let type = environment["CONTENT_TYPE"], !type.isEmpty { headers.add("content-type", type) }

        var declared: Int?
        if let lengthText = environment["CONTENT_LENGTH"], !lengthText.isEmpty {
            guard let length = Int(lengthText), length >= 0 else {
                throw HTTPError(400, "malformed Content-Length")
            }
            if length > options.maxBodyBytes {
                throw HTTPError(413, "request body too large", extra: [("limit_bytes", .int(Int64(options.maxBodyBytes)))])
            }
            declared = length
            headers.add("content-length", lengthText)
        }

        let request = Request(
            method: method,
            path: path,
            query: QueryString.parse(rawQuery),
            headers: headers,
            body: [],
            remoteAddress: environment["REMOTE_ADDR"]
        )
        return GatewayRequest(request: request, declaredLength: declared, forwardedRequestID: headers["x-request-id"])
    }

    /// `/uptime/sla` with base `/uptime` → `/sla`; `/uptime` → `/`; `/other` → nil.
    static func strip(base: String, from path: String) -> String? {
        if base.isEmpty { return path.isEmpty ? "/" : path }
        if path == base { return "/" }
        if path.hasPrefix(base + "/") { return String(path.dropFirst(base.count)) }
        return nil
    }

    /// `HTTP_X_REQUEST_ID` → `x-request-id`.
    static func headerName(fromCGI name: String) -> String {
        String(name.dropFirst(5).lowercased().map { $0 == "_" ? "-" : $0 })
    }
}
