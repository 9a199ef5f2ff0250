import FastCGIRuntime
/// Drives a ``Router`` in process, without sockets, the same way the FastCGI and CGI front ends do:
/// parameters are parsed by ``GatewayRequest`` and the answer is encoded by ``ResponseEncoder``.
/// Tests use it to check routing, limits and encoding; the live front ends are covered by integration tests.
public struct TestDriver<Context: RequestContext>: Sendable {
    public var router: Router<Context>
    public var options: GatewayOptions
    public var makeContext: @Sendable (RequestInfo) -> Context

    public init(
        router: Router<Context>,
        options: GatewayOptions = GatewayOptions(),
        makeContext: @escaping @Sendable (RequestInfo) -> Context
    ) {
        self.router = router
        self.options = options
        self.makeContext = makeContext
    }

    /// Sends a request given as CGI parameters (`REQUEST_METHOD`, `DOCUMENT_URI`, `QUERY_STRING`, …).
    public func send(
        environment: [String: String],
        body: [UInt8] = [],
        isCGI: Bool = false,
        logger: Logger = Logger(label: "test")
    ) async -> Response {
        do throws(HTTPError) {
            var gateway = try GatewayRequest.parse(environment: environment, options: options, isCGI: isCGI)
            if body.count > options.maxBodyBytes {
                throw HTTPError(413, "request body too large", extra: [("limit_bytes", .int(Int64(options.maxBodyBytes)))])
            }
            gateway.request.body = body
            let context = makeContext(RequestInfo(requestID: "test", logger: logger))
            return await router.respond(to: gateway.request, context: context)
        } catch {
            return error.response(requestID: nil)
        }
    }

    /// Convenience: `send(method: "GET", uri: "/uptime/sla?url=…")`.
    public func send(method: String, uri: String, body: [UInt8] = [], headers: [(String, String)] = []) async -> Response {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var environment: [String: String] = [
            "REQUEST_METHOD": method,
            "DOCUMENT_URI": QueryString.decodePath(parts[0]),
            "REQUEST_URI": uri,
            "QUERY_STRING": parts.count > 1 ? String(parts[1]) : "",
        ]
        if !body.isEmpty { environment["CONTENT_LENGTH"] = String(body.count) }
        for (name, value) in headers {
            environment["HTTP_" + name.uppercased().map { $0 == "-" ? "_" : $0 }.map(String.init).joined()] = value
        }
        return await send(environment: environment, body: body)
    }
}

import Logging
