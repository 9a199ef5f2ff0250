import Dispatch
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Serves exactly one request as a plain CGI program: parameters from the environment, the body from
/// standard input, the answer to standard output. Logs must go to stderr (the web server's error log);
/// anything else written to stdout would corrupt the response.
public enum CGIRunner {
    /// Runs one request and returns the process exit status (0 also for 4xx/5xx answers: the web server
    /// got a well-formed response).
    ///
    /// A function that does not answer within `deadline` gets a 504: no CGI server (fcgiwrap in
    /// particular) bounds a hung script for us.
    public static func run<Context: RequestContext>(
        router: Router<Context>,
        options: GatewayOptions,
        logger: Logger,
        deadline: Duration = .seconds(30),
        makeContext: @escaping @Sendable (RequestInfo) -> Context
    ) -> Int32 {
        let environment = processEnvironment()
        let response: Response
        var requestID: String? = nil
        do throws(HTTPError) {
            var gateway = try GatewayRequest.parse(environment: environment, options: options, isCGI: true)
            gateway.request.body = try readStandardInput(declared: gateway.declaredLength, limit: options.maxBodyBytes)
            let id = gateway.forwardedRequestID.flatMap(RequestIDGenerator.sanitized) ?? RequestIDGenerator().next()
            requestID = id
            var requestLogger = logger
            requestLogger[metadataKey: "request-id"] = "\(id)"
            let context = makeContext(RequestInfo(requestID: id, logger: requestLogger))
            let request = gateway.request
            response = runBlocking(deadline: deadline, requestID: id) {
                await router.respond(to: request, context: context)
            }
        } catch {
            response = error.response(requestID: requestID)
        }
        writeAll(fd: 1, ResponseEncoder.encode(response, requestID: requestID))
        return 0
    }

    /// Waits for an async function from synchronous code (the CGI main thread), with a deadline.
    static func runBlocking(
        deadline: Duration,
        requestID: String,
        _ body: @escaping @Sendable () async -> Response
    ) -> Response {
        let done = DispatchSemaphore(value: 0)
        let box = ResponseBox()
        Task {
            box.value = await body()
            done.signal()
        }
        let nanos = Int(deadline.components.seconds) * 1_000_000_000 + Int(deadline.components.attoseconds / 1_000_000_000)
        if done.wait(timeout: .now() + .nanoseconds(nanos)) == .timedOut {
            return .error(504, "function did not answer in time", requestID: requestID)
        }
        return box.value ?? .error(500, "internal error", requestID: requestID)
    }

    static func processEnvironment() -> [String: String] {
        CGIEnvironmentEntry.processEnvironment()
    }

    static func readStandardInput(declared: Int?, limit: Int) throws(HTTPError) -> [UInt8] {
        // CGI: without CONTENT_LENGTH there is no body (stdin may be a terminal or an open pipe).
        guard let declared, declared > 0 else { return [] }
        var body = [UInt8](repeating: 0, count: declared)
        var filled = 0
        while filled < declared {
            let n = body.withUnsafeMutableBytes { read(0, $0.baseAddress! + filled, declared - filled) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            filled += n
        }
        body.removeSubrange(filled...)
        if body.count > limit {
            throw HTTPError(413, "request body too large", extra: [("limit_bytes", .int(Int64(limit)))])
        }
        return body
    }

    static func writeAll(fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}

/// Written by the task before it signals, read by the waiting thread after; the semaphore orders them.
private final class ResponseBox: @unchecked Sendable {
    var value: Response?
}
