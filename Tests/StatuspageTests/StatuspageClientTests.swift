import Logging
@testable import Statuspage
import TestSupport
import Testing
import UpstreamHTTP

/// The client against a scripted transport: what it asks, when it retries, what it reports.
@Suite("Statuspage client")
struct StatuspageClientTests {
    static let url = "https://status.example.com/api/v2/summary.json"
    static let logger = Logger(label: "statuspage-client-test")

    private func client(_ transport: MockTransport, retries: RetryPolicy = .statuspageExporter) -> StatuspageClient {
        var zeroBackoff = retries
        zeroBackoff.backoff = .urllib3(factor: .zero)
        return StatuspageClient(
            transport: transport,
            configuration: .init(timeout: .seconds(2), retryPolicy: zeroBackoff, userAgent: "test-agent"),
            logger: Self.logger
        )
    }

    private static func response(_ status: Int, _ body: String = "", headers: [(String, String)] = [])
        -> MockTransport.Reply
    {
        .response(HTTPTransportResponse(status: status, headers: HTTPTransportHeaders(headers), body: Array(body.utf8)))
    }

    @Test("A good answer: decoded summary, measured time, one GET of the summary URL with our User-Agent")
    func success() async throws {
        let transport = MockTransport([.bytes(200, try Fixtures.bytes("statuspage/discord-2022-02-summary.json"))])
        let service = StatuspageService(key: "d", name: "Discord", url: "https://discordstatus.com/")
        let probe = await client(transport).probe(service)
        #expect(probe.succeeded)
        #expect(probe.summary == (try Fixtures.summary("discord-2022-02-summary.json")))
        #expect(probe.url == "https://discordstatus.com/api/v2/summary.json")
        #expect(probe.responseTimeSeconds >= 0 && probe.responseTimeSeconds < 5)
        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.url == "https://discordstatus.com/api/v2/summary.json")
        #expect(request.headers["User-Agent"] == "test-agent")
        #expect(request.timeout == .seconds(2))
    }

    @Test("5xx in the exporter's list and connection errors are retried, three times at most")
    func retries() async throws {
        let body = String(decoding: try Fixtures.bytes("statuspage/discord-2022-02-summary.json"), as: UTF8.self)
        let recovering = MockTransport([
            Self.response(503), .failure(.connectionReset), .failure(.timeout), Self.response(200, body),
        ])
        let probe = await client(recovering).fetchSummary(url: Self.url)
        #expect(probe.succeeded)
        #expect(recovering.requests.count == 4)

        let failing = MockTransport([Self.response(502)])
        let failed = await client(failing).fetchSummary(url: Self.url)
        #expect(failed.result.failure?.reason == .httpStatus(502))
        #expect(failing.requests.count == 4)

        let once = MockTransport([Self.response(500)])
        _ = await client(once, retries: .none).fetchSummary(url: Self.url)
        #expect(once.requests.count == 1)
    }

    @Test("Other statuses fail at once, 404 included even with Retry-After", arguments: [400, 401, 403, 404, 501])
    func noRetry(status: Int) async {
        let transport = MockTransport([Self.response(status, "{}", headers: [("Retry-After", "1")])])
        let probe = await client(transport).fetchSummary(url: Self.url)
        #expect(probe.result.failure?.reason == .httpStatus(status))
        #expect(transport.requests.count == 1)
    }

    @Test("413 and 429 are retried only with Retry-After, as urllib3's Retry does for the exporter", arguments: [413, 429])
    func retryAfterStatuses(status: Int) async {
        let without = MockTransport([Self.response(status, "{}")])
        _ = await client(without).fetchSummary(url: Self.url)
        #expect(without.requests.count == 1)

        let with = MockTransport([Self.response(status, "{}", headers: [("Retry-After", "0")]), Self.response(200, "{}")])
        let probe = await client(with).fetchSummary(url: Self.url)
        #expect(probe.succeeded)
        #expect(with.requests.count == 2)
    }

    @Test("A body that is not a summary fails without retry; a 2xx/3xx JSON object is accepted")
    func bodies() async {
        for body in ["<html>Bad gateway</html>", "[]", "{\"page\": "] {
            let transport = MockTransport([Self.response(200, body)])
            let probe = await client(transport).fetchSummary(url: Self.url)
            #expect(probe.result.failure?.reason == .invalidJSON, "\(body)")
            #expect(transport.requests.count == 1)
        }
        let accepted = await client(MockTransport([Self.response(203, "{}")])).fetchSummary(url: Self.url)
        #expect(accepted.summary == StatuspageSummary())
    }

    @Test("Retry-After on a retried status is honoured, within its cap")
    func retryAfter() {
        let policy = RetryPolicy.statuspageExporter
        #expect(policy.backoff == .urllib3(factor: .milliseconds(500)))
        // urllib3: nothing before the first retry, then factor × 2^(n-1).
        let delays = (1...3).map { retry in policy.delay(afterAttempt: retry) }
        #expect(delays == [.zero, .seconds(1), .seconds(2)])
        #expect(policy.delay(afterAttempt: 1, status: 503, retryAfter: .seconds(4)) == .seconds(4))
        #expect(policy.delay(afterAttempt: 1, status: 503, retryAfter: .seconds(600)) == .seconds(15))
    }

    @Test("Transport failures are read as the four kinds a probe reports")
    func transportKinds() {
        let cases: [(HTTPTransportError, StatuspageTransportError.Kind)] = [
            (.timeout, .timeout), (.connectionFailed("refused"), .connection), (.connectionReset, .connection),
            (.responseTooLarge(limit: 1), .bodyTooLarge), (.invalidRequest("bad URL"), .invalidURL),
            (.other("TLS"), .connection),
        ]
        for (error, kind) in cases {
            #expect(StatuspageTransportError(error).kind == kind, "\(error)")
        }
        #expect(StatuspageTransportError(CancellationError()).kind == .connection)
    }

    @Test("Too large or cut-short bodies are transport failures")
    func transportFailures() async {
        let transport = MockTransport([.failure(.responseTooLarge(limit: 8 << 20))])
        let probe = await client(transport).fetchSummary(url: Self.url)
        #expect(probe.result.failure?.reason == .transport(.bodyTooLarge))
        #expect(transport.requests.count == 1)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
