import Logging

/// Pings a Better Stack heartbeat, as cron jobs do with `curl`.
///
/// The heartbeat token is the only credential and it travels in the path
/// (`{base}/api/v1/heartbeat/<token>`); no `Authorization` header is sent. Errors, log lines and
/// observer events show the path as `/api/v1/heartbeat/<redacted>`.
public struct HeartbeatPinger: Sendable {
    let base: BaseURL
    let executorTemplate: RequestExecutor

    /// A pinger.
    ///
    /// - Parameters:
    ///   - baseURL: the Uptime host (default `https://uptime.betterstack.com`; the sandbox in tests).
    ///   - requestTimeout: per attempt.
    ///   - retryPolicy: retries on 5xx/timeouts/resets; a ping is idempotent enough to repeat.
    public init(
        baseURL: String = BetterStackConfiguration.defaultBaseURL,
        requestTimeout: Duration = .seconds(10),
        retryPolicy: RetryPolicy = .betterStack,
        userAgent: String = "uptime-bridge",
        transport: any HTTPTransport = AsyncHTTPClientTransport.bridgeDefault,
        logger: Logger,
        observer: UpstreamObserver? = nil,
        sleep: @escaping UpstreamSleep = { try await Task.sleep(for: $0) }
    ) throws(BetterStackError) {
        base = try BaseURL.betterStack(baseURL, what: "the heartbeat base URL")
        executorTemplate = RequestExecutor(
            transport: transport,
            retryPolicy: retryPolicy,
            timeout: requestTimeout,
            userAgent: userAgent,
            logger: logger,
            observer: observer,
            sleep: sleep,
            secrets: []
        )
    }

    /// Reports `outcome` for the heartbeat with this token. With a `body` (e.g. the job's output)
    /// the ping is a `POST` carrying it form-encoded (see ``formBody(_:)``), otherwise a `GET`.
    ///
    /// The documentation sends output with `curl -d "$backup_output" …/heartbeat/<token>/$?`,
    /// i.e. `Content-Type: application/x-www-form-urlencoded`. `curl -d` puts the text in as is,
    /// which a form parser misreads (`+`, `&`, `=`) or may reject (a `%` not followed by two hex
    /// digits); the pinger percent-encodes it instead, as `curl --data-urlencode "=$output"` does,
    /// so the body is always a valid form body that decodes back to the exact text.
    ///
    /// An unknown token is ``BetterStackError/notFound(_:)`` (presumably; upstream does not document it).
    public func ping(token: Secret, outcome: HeartbeatOutcome, body: String? = nil) async throws {
        let raw = token.reveal().trimmingASCIIWhitespace()
        guard !raw.isEmpty,
            raw.utf8.allSatisfy({ byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_")
            })
        else {
            throw BetterStackError.invalidConfiguration(
                "the heartbeat token is empty or has characters other than A-Z a-z 0-9 - _"
            )
        }
        let executor = executorTemplate.scrubbing([token])
        let url = base.url(path: "/api/v1/heartbeat/\(raw)\(outcome.pathSuffix)")
        var headers: HTTPTransportHeaders = ["Accept": "*/*"]
        var bytes: [UInt8]?
        if let body {
            headers.add(name: "Content-Type", value: Self.formContentType)
            bytes = Self.formBody(body)
        }
        _ = try await executor.perform(
            endpoint: "heartbeat_ping",
            method: bytes == nil ? "GET" : "POST",
            url: url,
            headers: headers,
            body: bytes
        )
    }

    /// The `Content-Type` of a ping with output: what `curl -d` sends.
    public static let formContentType = "application/x-www-form-urlencoded"

    /// The output as a form body: one unnamed value, UTF-8, every byte outside `A-Z a-z 0-9 - . _ ~`
    /// as `%XX` (a space is `%20`, which every form and URL decoder reads as a space; `+` is `%2B`).
    public static func formBody(_ text: String) -> [UInt8] {
        Array(PercentEncoding.component(text).utf8)
    }

    /// Extracts the token from a full ping URL such as
    /// `https://uptime.betterstack.com/api/v1/heartbeat/abcd1234` (as shown in a heartbeat's
    /// ``Heartbeat/url``); `nil` if the URL has no heartbeat segment.
    public static func token(fromPingURL url: String) -> Secret? {
        var path = Substring(url)
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            path = path[..<query]
        }
        let segments = path.split(separator: "/")
        guard let index = segments.lastIndex(of: "heartbeat"), index + 1 < segments.count else { return nil }
        return Secret(String(segments[index + 1]))
    }
}
