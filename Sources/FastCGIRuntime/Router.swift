import Logging

/// Maps a route path and method to a function, and turns everything that is not a normal answer
/// (unknown path, wrong method, thrown errors) into a JSON error response.
public struct Router<Context: RequestContext>: Sendable {
    private var routes: [String: [String: Handler<Context>]] = [:]
    private let wrap: @Sendable (@escaping Handler<Context>) -> Handler<Context>

    /// - Parameter guard: wraps every function registered afterwards (access control, for example).
    public init(guard wrap: @escaping @Sendable (@escaping Handler<Context>) -> Handler<Context> = { $0 }) {
        self.wrap = wrap
    }

    /// Registers `handler` for `method` on `path` (a route path such as `/sla`).
    public mutating func on(_ path: String, method: String, _ handler: @escaping Handler<Context>) {
        routes[Router.normalize(path), default: [:]][method.uppercased()] = wrap(handler)
    }

    public mutating func get(_ path: String, _ handler: @escaping Handler<Context>) {
        on(path, method: "GET", handler)
    }

    public mutating func post(_ path: String, _ handler: @escaping Handler<Context>) {
        on(path, method: "POST", handler)
    }

    /// Route paths the router knows, for diagnostics and documentation.
    public var paths: [String] { routes.keys.sorted() }

    /// Answers a request; never throws. `HEAD` is served by the `GET` function without a body.
    public func respond(to request: Request, context: Context) async -> Response {
        let path = Router.normalize(request.path)
        guard let methods = routes[path] else {
            return .error(404, "no such endpoint", extra: [("path", .string(request.path))], requestID: context.requestID)
        }
        let method = request.method.uppercased()
        let handler = methods[method] ?? (method == "HEAD" ? methods["GET"] : nil)
        guard let handler else {
            var allowed = methods.keys.sorted()
            if methods["GET"] != nil, methods["HEAD"] == nil { allowed.append("HEAD") }
            var response = Response.error(
                405,
                "method \(method) not allowed",
                extra: [("allow", .string(allowed.joined(separator: ", ")))],
                requestID: context.requestID
            )
            response.headers.set("Allow", allowed.joined(separator: ", "))
            return response
        }
        do {
            var response = try await handler(request, context)
            if method == "HEAD" { response.body = [] }
            return response
        } catch let error as HTTPError {
            if error.status >= 500 {
                context.logger.warning("function failed", metadata: ["path": "\(path)", "status": "\(error.status)"])
            }
            return error.response(requestID: context.requestID)
        } catch {
            // Internals stay in the log; the client gets the request id to quote.
            context.logger.error(
                "unhandled error in function",
                metadata: ["path": "\(path)", "error": "\(String(describing: type(of: error)))"]
            )
            return .error(500, "internal error", requestID: context.requestID)
        }
    }

    /// `/sla/` and `/sla` are the same route; the empty path is `/`.
    static func normalize(_ path: String) -> String {
        if path.isEmpty { return "/" }
        // SimpleJSON with a datasource URL ending in `/` asks for `//query`.
        var p = path.contains("//") ? path.replacingDoubleSlashes() : path
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        return p
    }
}

extension String {
    func replacingDoubleSlashes() -> String {
        var result = ""
        var previousSlash = false
        for ch in self {
            if ch == "/" {
                if previousSlash { continue }
                previousSlash = true
            } else {
                previousSlash = false
            }
            result.append(ch)
        }
        return result
    }
}
