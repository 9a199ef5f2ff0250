import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one NIO handler: gathers a request, counts it, applies faults, asks the router, writes
/// the answer. Everything protocol-specific (Better Stack, admin) lives in route tables.
final class SandboxHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: Router
    private let state: SandboxState
    private let maxBodyBytes: Int
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false

    init(router: Router, state: SandboxState, maxBodyBytes: Int) {
        self.router = router
        self.state = state
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
            bodyTooLarge = false
        case .body(var buffer):
            if body.count + buffer.readableBytes > maxBodyBytes {
                bodyTooLarge = true  // keep reading to the end, then refuse
            } else if let bytes = buffer.readBytes(length: buffer.readableBytes) {
                body.append(contentsOf: bytes)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let request = SandboxRequest(
                method: head.method.rawValue,
                target: head.uri,
                headers: head.headers.map { ($0.name, $0.value) },
                body: body
            )
            body = []
            dispatch(context: context, request: request, keepAlive: head.isKeepAlive)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        state.logger.debug("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func dispatch(context: ChannelHandlerContext, request: SandboxRequest, keepAlive: Bool) {
        let match = router.match(method: request.method, path: request.path)
        if bodyTooLarge {
            // Better Stack Logs' wording for an oversized request. Still a call the client made.
            if case .found(let route, _) = match, let name = route.name {
                state.stats.record(name)
                if name == .logsIngest { state.logsIngest.recordTooLarge() }
            }
            write(
                context: context,
                .text("payload reached size limit", status: 413),
                request: request,
                keepAlive: false
            )
            return
        }
        switch match {
        case .notFound:
            write(context: context, .errors("Not found", status: 404), request: request, keepAlive: keepAlive)
        case .methodNotAllowed(let allowed):
            var response = SandboxResponse.errors("Method not allowed", status: 405)
            response.headers.append(("Allow", allowed.joined(separator: ", ")))
            write(context: context, response, request: request, keepAlive: keepAlive)
        case .found(let route, let parameters):
            var decision = FaultBoard.Decision()
            if let name = route.name {
                state.stats.record(name)
                if Self.isUptimeAPI(request.path), !state.rateLimiter.admit() {
                    // Upstream throttles before anything else happens: answered at once, no
                    // fault applies (and no counted fault is used up).
                    write(context: context, RateLimiter.response, request: request, keepAlive: keepAlive)
                    return
                }
                decision = state.faults.decide(for: name)
            }
            let routeContext = RouteContext(
                request: request,
                parameters: parameters,
                state: state,
                baseURL: baseURL(for: request, context: context)
            )
            if decision.latencyMilliseconds > 0 {
                // Never sleep on the event loop: other connections on this loop keep being served.
                context.eventLoop.assumeIsolated().scheduleTask(
                    in: .milliseconds(Int64(decision.latencyMilliseconds))
                ) {
                    self.answer(
                        context: context,
                        route: route,
                        routeContext: routeContext,
                        decision: decision,
                        keepAlive: keepAlive
                    )
                }
            } else {
                answer(
                    context: context,
                    route: route,
                    routeContext: routeContext,
                    decision: decision,
                    keepAlive: keepAlive
                )
            }
        }
    }

    private func answer(
        context: ChannelHandlerContext,
        route: Route,
        routeContext: RouteContext,
        decision: FaultBoard.Decision,
        keepAlive: Bool
    ) {
        guard context.channel.isActive else { return }  // the client gave up while we waited
        let request = routeContext.request
        // Faults stand in front of authorization: they play the network and proxies upstream.
        let failure = decision.failure
        if failure?.reset == true {
            resetConnection(context: context)
            return
        }
        var response: SandboxResponse
        if let failure, failure.garbage {
            response = Self.htmlErrorPage(status: failure.effectiveStatus ?? 200)
        } else if let status = failure?.effectiveStatus {
            response = .errors(HTTPResponseStatus(statusCode: status).reasonPhrase, status: status)
        } else {
            response = route.authorize?(request) ?? route.handler(routeContext)
        }
        guard let failure else {
            write(context: context, response, request: request, keepAlive: keepAlive)
            return
        }
        if let retryAfter = failure.retryAfter {
            response.headers.append(("Retry-After", String(retryAfter)))
        }
        response.headers.append(("X-Sandbox-Fault", Self.describe(failure)))
        write(context: context, response, request: request, keepAlive: keepAlive, truncation: failure.truncate)
    }

    private func write(
        context: ChannelHandlerContext,
        _ response: SandboxResponse,
        request: SandboxRequest,
        keepAlive: Bool,
        truncation: Fault.Truncation? = nil
    ) {
        var bodyBytes = response.body[...]
        var declaredLength = response.body.count
        var closeAfterwards = !keepAlive
        switch truncation {
        case nil:
            break
        case .close:
            // Promise the whole body, deliver half, hang up: the client sees a short read.
            bodyBytes = response.body.prefix(response.body.count / 2)
            closeAfterwards = true
        case .json:
            // A complete HTTP message whose JSON stops in the middle.
            bodyBytes = response.body.prefix(response.body.count / 2)
            declaredLength = bodyBytes.count
        }
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Server", value: "uptime-bridge-sandbox")
        headers.replaceOrAdd(name: "Content-Length", value: String(declaredLength))
        headers.replaceOrAdd(name: "Connection", value: closeAfterwards ? "close" : "keep-alive")
        let head = HTTPResponseHead(
            version: .http1_1,
            status: HTTPResponseStatus(statusCode: response.status),
            headers: headers
        )
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != "HEAD", !bodyBytes.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: bodyBytes.count)
            buffer.writeBytes(bodyBytes)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if closeAfterwards {
            // Close only once the bytes are out; closing earlier would drop a large body's tail.
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// Closes with SO_LINGER 0, so the peer gets a TCP RST instead of an orderly FIN.
    private func resetConnection(context: ChannelHandlerContext) {
        guard let provider = context.channel as? any SocketOptionProvider else {
            context.close(promise: nil)
            return
        }
        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// The Better Stack Uptime API: what the rate-limit mode limits and counts per second.
    /// Heartbeat pings (`/api/v1/heartbeat/…`), Logs, Statuspage and Catchpoint are not part of it.
    static func isUptimeAPI(_ path: String) -> Bool {
        path.hasPrefix("/api/v2/") || path.hasPrefix("/api/v3/")
    }

    /// `http://<Host>` as the client addressed us, so absolute links work through any port
    /// mapping; `http://127.0.0.1:<port>` when the header is missing or odd.
    private func baseURL(for request: SandboxRequest, context: ChannelHandlerContext) -> String {
        if let host = request.header("Host"), !host.isEmpty,
            host.utf8.allSatisfy({ byte in
                (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                    || ".-:[]_".utf8.contains(byte)
            })
        {
            return "http://\(host)"
        }
        return "http://\(state.configuration.host):\(context.channel.localAddress?.port ?? state.configuration.port)"
    }

    /// What an overloaded proxy in front of an API typically sends.
    static func htmlErrorPage(status: Int) -> SandboxResponse {
        let title = "\(status) \(HTTPResponseStatus(statusCode: status).reasonPhrase)"
        let page =
            "<html>\r\n<head><title>\(title)</title></head>\r\n<body>\r\n<center><h1>\(title)</h1></center>\r\n"
            + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        return SandboxResponse(status: status, headers: [("Content-Type", "text/html")], body: Array(page.utf8))
    }

    private static func describe(_ fault: Fault) -> String {
        var parts: [String] = []
        if let status = fault.effectiveStatus { parts.append("status=\(status)") }
        if fault.garbage { parts.append("garbage") }
        if let truncate = fault.truncate { parts.append("truncate=\(truncate.rawValue)") }
        return parts.joined(separator: ",")
    }
}
