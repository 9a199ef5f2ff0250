import Logging

/// Maps a route path and method to a function, and turns everything that is not a normal answer
/// (unknown path, wrong method, thrown errors) into a JSON error response.
public struct Router<Context: RequestContext>: Sendable {
    private var routes: [String: [String: Handler<Context>]] = [:]
    private var immediateRoutes: [String: [String: ImmediateHandler<Context>]] = [:]
    private let wrap: @Sendable (@escaping Handler<Context>) -> Handler<Context>
    /// Called for every answer 500 (a function threw something that is not an ``HTTPError``),
    /// after it is logged: error reporting hooks in here. Gets no request data but the route.
    public var onInternalError: (@Sendable (InternalErrorReport) -> Void)?

    /// - Parameter guard: wraps every function registered afterwards (access control, for example).
    public init(guard wrap: @escaping @Sendable (@escaping Handler<Context>) -> Handler<Context> = { $0 }) {
        self.wrap = wrap
    }

    /// A wrapper for one route instead of the router's own (`guard:` of ``init(guard:)``).
    public struct Guard: Sendable {
        let wrap: @Sendable (@escaping Handler<Context>) -> Handler<Context>

        public init(_ wrap: @escaping @Sendable (@escaping Handler<Context>) -> Handler<Context>) {
            self.wrap = wrap
        }
    }

    /// Registers `handler` for `method` on `path` (a route path such as `/sla`), wrapped by `guard`
    /// if given, else by the router's guard.
    public mutating func on(_ path: String, method: String, _ handler: @escaping Handler<Context>, guard custom: Guard? = nil) {
        routes[Router.normalize(path), default: [:]][method.uppercased()] = custom?.wrap(handler) ?? wrap(handler)
    }

    public mutating func get(_ path: String, _ handler: @escaping Handler<Context>, guard custom: Guard? = nil) {
        on(path, method: "GET", handler, guard: custom)
    }

    public mutating func post(_ path: String, _ handler: @escaping Handler<Context>, guard custom: Guard? = nil) {
        on(path, method: "POST", handler, guard: custom)
    }

    /// Registers a function that never waits (see ``ImmediateHandler``) for `method` on `path`. It
    /// runs unwrapped: the router's guard is for functions that wait, so the caller applies what
    /// applies (access control) itself.
    public mutating func immediate(_ path: String, method: String = "GET", _ handler: @escaping ImmediateHandler<Context>) {
        immediateRoutes[Router.normalize(path), default: [:]][method.uppercased()] = handler
    }

    /// Route paths the router knows, for diagnostics and documentation.
    public var paths: [String] { Set(routes.keys).union(immediateRoutes.keys).sorted() }

    /// What a request resolves to: an answer known at once (unknown path, method not allowed), a
    /// function that never waits, or one that may.
    private enum Resolution {
        case answer(Response)
        case immediate(ImmediateHandler<Context>, method: String, path: String)
        case waiting(Handler<Context>, method: String, path: String)
    }

    private func resolve(_ request: Request, requestID: String?) -> Resolution {
        let path = Router.normalize(request.path)
        let waiting = routes[path]
        let immediate = immediateRoutes[path]
        guard waiting != nil || immediate != nil else {
            return .answer(.error(404, "no such endpoint", extra: [("path", .string(request.path))], requestID: requestID))
        }
        let method = request.method.uppercased()
        let lookup = method == "HEAD" ? [method, "GET"] : [method]
        for candidate in lookup {
            if let handler = immediate?[candidate] { return .immediate(handler, method: method, path: path) }
            if let handler = waiting?[candidate] { return .waiting(handler, method: method, path: path) }
        }
        var methods = Set<String>()
        if let waiting { methods.formUnion(waiting.keys) }
        if let immediate { methods.formUnion(immediate.keys) }
        var allowed = methods.sorted()
        if methods.contains("GET"), !methods.contains("HEAD") { allowed.append("HEAD") }
        var response = Response.error(
            405,
            "method \(method) not allowed",
            extra: [("allow", .string(allowed.joined(separator: ", ")))],
            requestID: requestID
        )
        response.headers.set("Allow", allowed.joined(separator: ", "))
        return .answer(response)
    }

    /// The answer when it needs no waiting (an unknown path, a method not allowed, an immediate
    /// function), else nil: then ``respond(to:context:)`` answers it.
    public func respondImmediately(to request: Request, context: Context) -> Response? {
        switch resolve(request, requestID: context.requestID) {
        case .answer(let response): return response
        case .immediate(let handler, let method, let path):
            return answer(method: method, path: path, context: context) { try handler(request, context) }
        case .waiting: return nil
        }
    }

    /// Answers a request; never throws. `HEAD` is served by the `GET` function without a body.
    public func respond(to request: Request, context: Context) async -> Response {
        switch resolve(request, requestID: context.requestID) {
        case .answer(let response): return response
        case .immediate(let handler, let method, let path):
            return answer(method: method, path: path, context: context) { try handler(request, context) }
        case .waiting(let handler, let method, let path):
            let result: Result<Response, any Error>
            do {
                // The request's logger is current for everything the function causes, down to
                // the upstream clients (`Logger.requestScoped(or:)`): their warnings carry the
                // request id and, under FastCGI, reach nginx's error log with the request.
                result = .success(try await withLogger(context.logger) { _ in try await handler(request, context) })
            } catch {
                result = .failure(error)
            }
            return answer(method: method, path: path, context: context) { try result.get() }
        }
    }

    /// A function's outcome as the answer: HEAD without a body, errors as JSON.
    private func answer(method: String, path: String, context: Context, _ outcome: () throws -> Response) -> Response {
        do {
            var response = try outcome()
            if method == "HEAD" { response.body = [] }
            return response
        } catch let answer as any HTTPResponseError {
            let error = answer.httpError
            if error.status >= 500 {
                context.logger.warning("function failed", metadata: ["path": "\(path)", "status": "\(error.status)"])
            }
            return error.response(requestID: context.requestID)
        } catch is CancellationError {
            // The request was abandoned (its client left, the worker is stopping).
            return .error(503, "request cancelled", requestID: context.requestID)
        } catch {
            // Internals stay in the log; the client gets the request id to quote.
            let errorType = String(describing: type(of: error))
            context.logger.error("unhandled error in function", metadata: ["path": "\(path)", "error": "\(errorType)"])
            onInternalError?(
                InternalErrorReport(method: method, route: path, requestID: context.requestID, errorType: errorType)
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

/// What a 500 leaves for error reporting: the route, never the query or the body; the error's type,
/// never its text (which may quote an upstream answer or a URL with a token).
public struct InternalErrorReport: Sendable, Equatable {
    public var method: String
    public var route: String
    public var requestID: String?
    public var errorType: String
}
