import BetterStack
import TestSupport
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("Configuration validation")
struct ConfigurationTests {
    @Test("Defaults: production host, 10 s timeout, 3 attempts, 30 s Retry-After cap")
    func defaults() throws {
        let configuration = try BetterStackConfiguration(token: Secret("t0ken"))
        #expect(configuration.baseURL == "https://uptime.betterstack.com")
        #expect(configuration.requestTimeout == .seconds(10))
        #expect(configuration.retryPolicy.maxAttempts == 3)
        #expect(configuration.retryPolicy.retryAfterCap == .seconds(30))
    }

    @Test("An empty or blank token is a clear configuration error")
    func emptyToken() {
        for token in ["", "   ", "\n"] {
            #expect(throws: BetterStackError.invalidConfiguration("the Better Stack API token is empty")) {
                try BetterStackConfiguration(token: Secret(token))
            }
        }
    }

    @Test("A token with inner whitespace is rejected without echoing it")
    func whitespaceToken() {
        do {
            _ = try BetterStackConfiguration(token: Secret("abc def\(TestSecrets.apiToken)"))
            Issue.record("expected an error")
        } catch {
            #expect(String(describing: error).contains("whitespace"))
            #expect(!String(describing: error).contains(TestSecrets.apiToken))
        }
    }

    @Test(
        "Malformed base URLs are clear configuration errors",
        arguments: [
            ("uptime.betterstack.com", "must start with http:// or https://"),
            ("ftp://uptime.betterstack.com", "must use http or https"),
            ("https://", "has no host"),
            ("https:///api", "has no host"),
            ("https://uptime.betterstack.com?x=1", "must not have a query string"),
            ("https://uptime.betterstack.com/#top", "must not have a fragment"),
            ("https://user:\(TestSecrets.apiToken)@uptime.betterstack.com", "must not contain credentials"),
            ("http://127.0.0.1:0", "invalid port"),
            ("http://127.0.0.1:99999", "invalid port"),
            ("http://127.0.0.1:abc", "invalid port"),
            ("", "is empty"),
        ]
    )
    func malformedURL(url: String, expectedFragment: String) {
        do {
            _ = try BetterStackConfiguration(baseURL: url, token: Secret("t0ken"))
            Issue.record("\(url) was accepted")
        } catch {
            guard case .invalidConfiguration(let detail) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(detail.contains(expectedFragment), "\(detail)")
            #expect(!detail.contains(TestSecrets.apiToken))
        }
    }

    @Test(
        "Valid base URLs are normalised",
        arguments: [
            ("https://uptime.betterstack.com/", "https://uptime.betterstack.com"),
            ("HTTP://127.0.0.1:8081", "http://127.0.0.1:8081"),
            ("http://[::1]:8081/prefix//", "http://[::1]:8081/prefix"),
            (" https://betteruptime.com ", "https://betteruptime.com"),
        ]
    )
    func validURL(url: String, normalised: String) throws {
        #expect(try BetterStackConfiguration(baseURL: url, token: Secret("t0ken")).baseURL == normalised)
    }

    @Test("Logs and heartbeat configurations validate too")
    func otherConfigurations() throws {
        #expect(throws: BetterStackError.self) {
            try LogsIngestConfiguration(ingestURL: "https://s1.example", sourceToken: Secret(""))
        }
        #expect(throws: BetterStackError.self) {
            try LogsIngestConfiguration(ingestURL: "ftp://s1.example", sourceToken: Secret("x"))
        }
        // A bare host name (the integration guide's BETTERSTACK_INGEST_HOST) means HTTPS.
        #expect(
            try LogsIngestConfiguration(ingestURL: " s1234567.eu-nbg-2.betterstackdata.com", sourceToken: Secret("x")).ingestURL
                == "https://s1234567.eu-nbg-2.betterstackdata.com/"
        )
        #expect(
            try LogsIngestConfiguration(ingestURL: "http://127.0.0.1:9000", sourceToken: Secret("x")).ingestURL
                == "http://127.0.0.1:9000/"
        )
        #expect(throws: BetterStackError.self) {
            try HeartbeatPinger(baseURL: "nope", logger: LogStore().logger())
        }
    }
}
