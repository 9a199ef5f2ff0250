import Logging

/// A client for the Better Stack Uptime API (v2, and v3 for incidents).
///
/// A value type holding only immutable, `Sendable` parts, so one instance can be shared by all
/// requests of a worker. Every call sends `Authorization: Bearer <token>` and
/// `Accept: application/json`, retries as the configuration's ``RetryPolicy`` says, reports each
/// HTTP attempt to the optional observer and logs it at debug level (never the token).
///
/// Endpoint methods live in extensions: `BetterStackClient+Monitors.swift`, `+Incidents`,
/// `+Heartbeats`, `+StatusPages`.
public struct BetterStackClient: Sendable {
    /// The validated configuration.
    public let configuration: BetterStackConfiguration
    /// The most pages any list call follows; a guard against servers that never say "last page".
    public var maxPages: Int = 1000

    let executor: RequestExecutor
    /// The pace every call of this client takes its turn in (nil: unpaced).
    public let pace: UpstreamPace?

    /// A client.
    ///
    /// - Parameters:
    ///   - configuration: base URL, token, timeout, retries.
    ///   - transport: the HTTP layer (``AsyncHTTPClientTransport/bridgeDefault`` unless given; a mock in tests).
    ///   - logger: where attempts are logged at debug level.
    ///   - observer: called once per HTTP attempt, e.g. to count upstream requests.
    ///   - sleep: waits between retries (inject a recorder in tests).
    public init(
        configuration: BetterStackConfiguration,
        transport: any HTTPTransport = AsyncHTTPClientTransport.bridgeDefault,
        logger: Logger,
        observer: UpstreamObserver? = nil,
        sleep: @escaping UpstreamSleep = { try await Task.sleep(for: $0) },
        pace: UpstreamPace? = nil
    ) {
        self.configuration = configuration
        self.pace = pace
        self.executor = RequestExecutor(
            transport: transport,
            retryPolicy: configuration.retryPolicy,
            timeout: configuration.requestTimeout,
            userAgent: configuration.userAgent,
            logger: logger,
            observer: observer,
            sleep: sleep,
            secrets: [configuration.token],
            pace: pace
        )
    }

    // MARK: - Plumbing shared by the endpoint extensions

    var authorizationHeaders: HTTPTransportHeaders {
        [
            "Authorization": "Bearer \(configuration.token.reveal())",
            "Accept": "application/json",
        ]
    }

    /// GETs one resource document.
    func getResource<R: Decodable & Sendable>(
        _ type: R.Type,
        endpoint: String,
        path: String,
        query: [(String, String)] = []
    ) async throws -> R {
        let response = try await executor.perform(
            endpoint: endpoint,
            method: "GET",
            url: configuration.base.url(path: path, query: query),
            headers: authorizationHeaders
        )
        return try executor.decode(ResourceDocument<R>.self, from: response, endpoint: endpoint).data
    }

    /// GETs a list and follows `pagination.next` until it is null, the loop guard trips, or
    /// `shouldContinue` says enough.
    ///
    /// `next` is followed verbatim when it points at the configured origin. A `next` on another
    /// origin (a fake that prints the production host, a misconfigured proxy) is re-rooted onto
    /// the configured base, so the token is never sent anywhere else.
    /// `per_page` clamped to what the endpoint allows (1…`maximum`; 250 for most lists).
    static func perPage(_ requested: Int, maximum: Int = 250) -> (String, String) {
        ("per_page", String(min(max(requested, 1), maximum)))
    }

    /// The `from`/`to` day range of the availability endpoints; an absent end is left out.
    static func dayRange(from: UTCDay?, to: UTCDay?) -> [(String, String)] {
        [("from", from), ("to", to)].compactMap { name, day in day.map { (name, $0.description) } }
    }

    func getAllPages<R: Decodable & Sendable>(
        _ type: R.Type,
        endpoint: String,
        path: String,
        query: [(String, String)],
        shouldContinue: ([R]) -> Bool = { _ in true }
    ) async throws -> [R] {
        var url = configuration.base.url(path: path, query: query)
        var seen: Set<String> = []
        var items: [R] = []
        var pages = 0
        while true {
            seen.insert(url)
            pages += 1
            let response = try await executor.perform(
                endpoint: endpoint,
                method: "GET",
                url: url,
                headers: authorizationHeaders
            )
            let page = try executor.decode(ListDocument<R>.self, from: response, endpoint: endpoint)
            items.append(contentsOf: page.data)
            guard shouldContinue(items), let next = page.pagination?.next, !next.isEmpty else { break }
            let nextURL = resolve(next)
            if seen.contains(nextURL) {
                executor.log.warning(
                    "pagination loop: next page was already fetched; stopping",
                    metadata: ["endpoint": "\(endpoint)", "pages": "\(pages)"]
                )
                break
            }
            if pages >= maxPages {
                executor.log.warning(
                    "pagination stopped at the page limit",
                    metadata: ["endpoint": "\(endpoint)", "pages": "\(pages)"]
                )
                break
            }
            url = nextURL
        }
        return items
    }

    /// Makes a `pagination.next` link absolute and keeps it on the configured origin.
    func resolve(_ link: String) -> String {
        let base = configuration.base
        if link.hasPrefix("/") {
            return base.origin + link
        }
        if base.hasSameOrigin(link) {
            return link
        }
        // Another origin: keep path and query, drop scheme and authority.
        guard let schemeEnd = link.firstRange(of: "://") else {
            return base.url(path: "/" + link)
        }
        let afterScheme = link[schemeEnd.upperBound...]
        let pathStart = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        var rest = String(afterScheme[pathStart...])
        if rest.hasPrefix("?") || rest.isEmpty {
            rest = "/" + rest
        }
        // Upstream paths start at /api/…; keep a configured path prefix in front of them.
        if !base.pathPrefix.isEmpty, !rest.hasPrefix(base.pathPrefix + "/") {
            return base.origin + base.pathPrefix + rest
        }
        return base.origin + rest
    }

    /// Percent-encodes an id for a path segment; rejects ids that could not name a resource.
    func pathSegment(_ id: String, what: String) throws -> String {
        let trimmed = id.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty, trimmed != ".", trimmed != "..", trimmed.count <= 64 else {
            throw BetterStackError.badRequest("invalid \(what) id")
        }
        return PercentEncoding.component(trimmed)
    }
}
