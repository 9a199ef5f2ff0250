import Logging
import OpenTSDB
import UpstreamHTTP

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A client of the Catchpoint REST API v1: the OAuth2 client-credentials token and the raw
/// performance data (Catchpoint REST API v1: `POST /ui/api/token`, `GET /ui/api/v1/performance/raw`, as `pavan485/python-opentsDB` `request_handler.py` calls them).
///
/// The token is fetched on first use, reused until shortly before its announced expiry, and
/// renewed once when the API answers "Expired token" (the request is then repeated). Concurrent
/// callers share one token request. Neither the client id, the client secret nor the token
/// ever appears in an error or a log line.
public actor CatchpointClient {
    /// The configuration in force.
    public nonisolated let configuration: CatchpointConfiguration
    private let pipeline: UpstreamPipeline
    private let logger: Logger
    private let clock = ContinuousClock()
    private var token: AccessToken?
    private var pendingToken: Task<AccessToken, any Error>?
    /// Token requests made so far (renewals included), for logs and tests.
    public private(set) var tokenRequestCount = 0

    /// A client; throws ``CatchpointError/invalidConfiguration(_:)`` for a configuration that
    /// cannot work.
    public init(
        configuration: CatchpointConfiguration,
        transport: any HTTPTransport = AsyncHTTPClientTransport.push,
        sleep: @escaping UpstreamSleep = UpstreamPipeline.taskSleep,
        logger: Logger
    ) throws(CatchpointError) {
        if let problem = configuration.problems.first { throw .invalidConfiguration(problem) }
        self.configuration = configuration
        pipeline = UpstreamPipeline(
            transport: transport,
            policy: configuration.retry,
            sleep: sleep,
            logger: logger,
            secrets: [configuration.clientSecret, configuration.clientID]
        )
        self.logger = logger
    }

    // MARK: Raw performance

    /// The raw data of `testIDs` for `window` (the last 15 minutes when `nil`): one answer per
    /// request of at most ``CatchpointConfiguration/testsPerRequest`` ids, in order.
    public func rawPerformance(testIDs: [Int], window: RawWindow? = nil) async throws -> [RawPerformance] {
        var answers: [RawPerformance] = []
        for group in Self.requestGroups(testIDs, size: configuration.testsPerRequest) {
            answers.append(try await rawPerformance(requestFor: group, window: window))
        }
        return answers
    }

    /// Splits test ids into request-sized groups, dropping duplicates but keeping order.
    public static func requestGroups(_ testIDs: [Int], size: Int = CatchpointConfiguration.maxTestsPerRequest)
        -> [[Int]]
    {
        var seen = Set<Int>()
        let unique = testIDs.filter { seen.insert($0).inserted }
        return stride(from: 0, to: unique.count, by: max(1, size)).map {
            Array(unique[$0..<min($0 + max(1, size), unique.count)])
        }
    }

    /// One raw request for at most ``CatchpointConfiguration/testsPerRequest`` test ids.
    ///
    /// Throws ``CatchpointError`` or `CancellationError`.
    public func rawPerformance(requestFor testIDs: [Int], window: RawWindow? = nil) async throws -> RawPerformance {
        guard !testIDs.isEmpty, testIDs.count <= configuration.testsPerRequest else {
            throw CatchpointError.invalidConfiguration(
                "a raw request takes 1…\(configuration.testsPerRequest) test ids, not \(testIDs.count)"
            )
        }
        let path = "/ui/api/v1/performance/raw"
        var url = configuration.baseURL.appending(path) + "?tests=" + testIDs.map(String.init).joined(separator: ",")
        if let window { url += "&" + window.queryItems }
        let displayURL = configuration.baseURL.appending(path)
        var renewed = false
        while true {
            let current = try await accessToken()
            let request = HTTPTransportRequest(
                method: "GET",
                url: url,
                headers: [("Accept", "application/json"), ("Authorization", "Bearer " + bearer(current))],
                timeout: configuration.timeout
            )
            let response = try await send(request, endpoint: "raw", displayURL: displayURL)
            if let message = UpstreamMessage.parse(response.body) {
                if UpstreamMessage.saysExpired(message) {
                    guard !renewed else { throw CatchpointError.tokenExpiredAfterRenewal }
                    logger.info("Catchpoint token expired; renewing once")
                    discard(current)
                    renewed = true
                    continue
                }
                if UpstreamMessage.saysInvalidToken(message) {
                    discard(current)
                    throw CatchpointError.invalidToken(message: scrub(message))
                }
            }
            guard (200..<300).contains(response.status) else {
                throw CatchpointError.httpStatus(
                    response.status,
                    bodyExcerpt: scrub(response.bodyExcerpt()),
                    url: displayURL
                )
            }
            let answer: RawPerformance
            do {
                answer = try JSONDecoder().decode(RawPerformance.self, from: Data(response.body))
            } catch {
                throw CatchpointError.invalidResponse(url: displayURL, reason: Self.describe(error))
            }
            if !answer.hasData {
                logger.info(
                    "Catchpoint has no data",
                    metadata: ["tests": "\(testIDs.count)", "error": "\(scrub(answer.error ?? ""))"]
                )
            }
            return answer
        }
    }

    // MARK: Token

    /// The current access token, fetched when there is none or it is about to expire.
    public func accessToken() async throws -> AccessToken {
        if let token, token.isUsable(at: clock.now, margin: configuration.tokenRenewalMargin) {
            return token
        }
        if let pendingToken {
            return try await pendingToken.value
        }
        let task = Task { try await self.requestToken() }
        pendingToken = task
        defer { pendingToken = nil }
        let fresh = try await task.value
        token = fresh
        return fresh
    }

    /// Forgets `stale` (unless a newer token already replaced it), so the next call renews.
    private func discard(_ stale: AccessToken) {
        if token?.receivedAt == stale.receivedAt { token = nil }
    }

    private func requestToken() async throws -> AccessToken {
        tokenRequestCount += 1
        let path = "/ui/api/token"
        let url = configuration.baseURL.appending(path)
        let form = configuration.tokenRequestForm.body(
            clientID: configuration.clientID.reveal(),
            clientSecret: configuration.clientSecret.reveal()
        )
        let request = HTTPTransportRequest(
            method: "POST",
            url: url,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Array(form.utf8),
            timeout: configuration.timeout
        )
        let response = try await send(request, endpoint: "token", displayURL: url)
        guard (200..<300).contains(response.status) else {
            let message = UpstreamMessage.parse(response.body) ?? response.bodyExcerpt()
            if response.status >= 500 {
                throw CatchpointError.httpStatus(response.status, bodyExcerpt: scrub(message), url: url)
            }
            throw CatchpointError.authenticationFailed(status: response.status, message: scrub(message))
        }
        let decoded: TokenResponse
        do {
            decoded = try JSONDecoder().decode(TokenResponse.self, from: Data(response.body))
        } catch {
            // Never echo the body here: it may hold a token.
            throw CatchpointError.invalidResponse(url: url, reason: "no access_token in the token answer")
        }
        logger.debug("Catchpoint token received", metadata: ["expires_in": "\(decoded.expiresIn ?? 900)"])
        return AccessToken(
            value: Secret(decoded.accessToken),
            lifetimeSeconds: max(1, decoded.expiresIn ?? 900),
            receivedAt: clock.now
        )
    }

    private func bearer(_ token: AccessToken) -> String {
        switch configuration.bearerEncoding {
        case .raw: token.value.reveal()
        case .base64: Data(token.value.reveal().utf8).base64EncodedString()
        }
    }

    // MARK: Transport

    /// Sends through the pipeline (retries on connection failures, 5xx and 429: configuration.retry)
    /// and returns the final answer, whatever its status; a transport failure is
    /// ``CatchpointError/unreachable(url:reason:attempts:)``.
    private func send(_ request: HTTPTransportRequest, endpoint: String, displayURL: String) async throws -> HTTPTransportResponse {
        let result = try await pipeline.send(request, endpoint: endpoint)
        switch result.outcome {
        case .response(let response):
            return response
        case .failure(let failure):
            throw CatchpointError.unreachable(url: displayURL, reason: scrub(failure.description), attempts: result.attempts)
        }
    }

    /// `text` with the credentials and the current token blanked out, in case an upstream or a
    /// proxy echoes them.
    private func scrub(_ text: String) -> String {
        var secrets = [configuration.clientSecret.reveal(), configuration.clientID.reveal()]
        if let token { secrets.append(token.value.reveal()) }
        var result = text
        for secret in secrets where secret.count >= 4 && result.contains(secret) {
            result = result.split(separator: secret, omittingEmptySubsequences: false).joined(separator: "<redacted>")
        }
        return result
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): "not JSON (\(context.debugDescription))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "unexpected shape at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "not the expected JSON"
        }
    }
}
