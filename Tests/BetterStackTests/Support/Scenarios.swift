import BetterStack
import TestSupport

/// The client situations the tests pin down. Each runs against its own mock and returns
/// everything it produced; the individual tests check behaviour, ``SecretLeakTests`` runs them
/// all again and checks that no secret shows anywhere.
enum Scenarios {
    typealias Run = @Sendable () async throws -> ScenarioOutcome

    static let all: [(name: String, run: Run)] = [
        ("unauthorized", unauthorized),
        ("notFound", notFound),
        ("slaBadRange", slaBadRange),
        ("validationFailed", validationFailed),
        ("rateLimitedThenSuccess", { try await rateLimitedThenSuccess(retryAfter: "2") }),
        ("rateLimitedCapped", { try await rateLimitedThenSuccess(retryAfter: "3600") }),
        ("rateLimitedExhausted", rateLimitedExhausted),
        ("serverErrorThenSuccess", serverErrorThenSuccess),
        ("serverErrorExhausted", serverErrorExhausted),
        ("timeoutExhausted", timeoutExhausted),
        ("resetThenSuccess", resetThenSuccess),
        ("truncatedBody", truncatedBody),
        ("nonJSONBody", nonJSONBody),
        ("upstreamEchoesToken", upstreamEchoesToken),
        ("threePages", { try await paginated(pages: 3) }),
        ("firstMonitorOnLastPage", firstMonitorOnLastPage),
        ("heartbeatPingNotFound", heartbeatPingNotFound),
        ("heartbeatPingTimeout", heartbeatPingTimeout),
        ("logsUnauthorized", logsUnauthorized),
        ("logsTooLarge", logsTooLarge),
    ]

    // MARK: - Error statuses

    static func unauthorized() async throws -> ScenarioOutcome {
        let harness = try ClientHarness([.bytes(401, try Fixtures.bytes("error-401.json"))])
        return await harness.run { client in try await client.monitors().description }
    }

    static func notFound() async throws -> ScenarioOutcome {
        let harness = try ClientHarness([.bytes(404, try Fixtures.bytes("error-404.json"))])
        return await harness.run { client in try await client.monitor(id: "999").id }
    }

    static func slaBadRange() async throws -> ScenarioOutcome {
        let harness = try ClientHarness([.bytes(400, try Fixtures.bytes("sla-error-400.json"))])
        return await harness.run { client in
            String(
                describing: try await client.sla(monitorID: "41", from: UTCDay("2026-05-03"), to: UTCDay("2026-05-01"))
            )
        }
    }

    static func validationFailed() async throws -> ScenarioOutcome {
        let harness = try ClientHarness([.bytes(422, try Fixtures.bytes("error-422.json"))])
        return await harness.run { client in try await client.heartbeats().description }
    }

    // MARK: - Retries

    static func rateLimitedThenSuccess(retryAfter: String) async throws -> ScenarioOutcome {
        let harness = try ClientHarness([
            .json(429, #"{"errors":"Rate limited"}"#, headers: ["Retry-After": retryAfter]),
            .bytes(200, try Fixtures.bytes("sla.json")),
        ])
        return await harness.run { client in
            String(try await client.sla(monitorID: "258338").availability ?? -1)
        }
    }

    static func rateLimitedExhausted() async throws -> ScenarioOutcome {
        let harness = try ClientHarness([.json(429, "Rate limited", headers: ["Retry-After": "1"])])
        return await harness.run { client in String(describing: try await client.sla(monitorID: "1")) }
    }

    static func serverErrorThenSuccess() async throws -> ScenarioOutcome {
        let harness = try ClientHarness([
            .json(502, "<html>Bad gateway</html>"),
            .json(503, #"{"errors":"Service unavailable"}"#),
            .bytes(200, try Fixtures.bytes("response-times.json")),
        ])
        return await harness.run { client in
            String(try await client.responseTimes(monitorID: "270985").regions.count)
        }
    }

    static func serverErrorExhausted() async throws -> ScenarioOutcome {
        let harness = try ClientHarness([.json(500, #"{"errors":"Internal error"}"#)])
        return await harness.run { client in try await client.monitor(id: "1").id }
    }

    static func timeoutExhausted() async throws -> ScenarioOutcome {
        let harness = try ClientHarness([.failure(.timeout)])
        return await harness.run { client in try await client.monitors().description }
    }

    static func resetThenSuccess() async throws -> ScenarioOutcome {
        let harness = try ClientHarness([
            .failure(.connectionReset),
            .failure(.connectionFailed("Connection refused (errno: 111)")),
            .bytes(200, try Fixtures.bytes("monitor.json")),
        ])
        return await harness.run { client in try await client.monitor(id: "123456789").id }
    }

    // MARK: - Bodies

    static func truncatedBody() async throws -> ScenarioOutcome {
        let full = try Fixtures.bytes("monitors.json")
        let harness = try ClientHarness([.bytes(200, Array(full.prefix(full.count / 2)))])
        return await harness.run { client in try await client.monitors().description }
    }

    static func nonJSONBody() async throws -> ScenarioOutcome {
        let harness = try ClientHarness([.json(200, "<!DOCTYPE html><html><body>Maintenance</body></html>")])
        return await harness.run { client in try await client.monitor(id: "1").id }
    }

    /// A misbehaving upstream that quotes the token back: it must still not show.
    static func upstreamEchoesToken() async throws -> ScenarioOutcome {
        let harness = try ClientHarness([
            .json(401, #"{"errors":"Invalid Team API token \#(TestSecrets.apiToken)."}"#)
        ])
        return await harness.run { client in try await client.monitors().description }
    }

    // MARK: - Pagination

    /// A list of `pages` pages of two monitors each; page `n` holds monitors `2n-1` and `2n` with
    /// URLs `https://site<id>.example.org/health`. `next` carries absolute URLs as upstream does.
    static func monitorPages(pages: Int, baseURL: String = ClientHarness.baseURL) -> MockTransport {
        MockTransport { request, _ in
            let query = request.url.split(separator: "?").dropFirst().first ?? ""
            let pageItem = query.split(separator: "&").first { $0.hasPrefix("page=") }
            let page = pageItem.flatMap { Int($0.dropFirst("page=".count)) } ?? 1
            let ids = [2 * page - 1, 2 * page]
            let data = ids.map { id in
                #"{"id":"\#(id)","type":"monitor","attributes":{"url":"https://site\#(id).example.org/health","#
                    + #""pronounceable_name":"Site \#(id)","status":"up","monitor_group_id":\#(id)}}"#
            }.joined(separator: ",")
            let next = page < pages ? #""\#(baseURL)/api/v2/monitors?per_page=2&page=\#(page + 1)""# : "null"
            let prev = page > 1 ? #""\#(baseURL)/api/v2/monitors?per_page=2&page=\#(page - 1)""# : "null"
            return .json(
                200,
                #"{"data":[\#(data)],"pagination":{"first":"\#(baseURL)/api/v2/monitors?per_page=2&page=1","#
                    + #""last":"\#(baseURL)/api/v2/monitors?per_page=2&page=\#(pages)","prev":\#(prev),"next":\#(next)}}"#
            )
        }
    }

    static func paginated(pages: Int) async throws -> ScenarioOutcome {
        let harness = try ClientHarness(transport: monitorPages(pages: pages))
        return await harness.run { client in
            try await client.monitors(perPage: 2).map(\.id).joined(separator: ",")
        }
    }

    static func firstMonitorOnLastPage() async throws -> ScenarioOutcome {
        let harness = try ClientHarness(transport: monitorPages(pages: 4))
        return await harness.run { client in
            try await client.firstMonitor(withURL: "https://site8.example.org/health", perPage: 2)?.id ?? "none"
        }
    }

    // MARK: - Heartbeat pings and logs

    static func heartbeatPingNotFound() async throws -> ScenarioOutcome {
        let transport = MockTransport([.json(404, #"{"errors":"Resource with provided ID was not found"}"#)])
        let harness = try ClientHarness(transport: transport)
        let pinger = try HeartbeatPinger(
            baseURL: ClientHarness.baseURL,
            transport: transport,
            logger: harness.logs.logger(),
            observer: harness.events.observer,
            sleep: harness.sleeps.sleep
        )
        return await harness.run { _ in
            try await pinger.ping(token: Secret(TestSecrets.heartbeatToken), outcome: .failure, body: "backup failed")
            return "pinged"
        }
    }

    static func heartbeatPingTimeout() async throws -> ScenarioOutcome {
        let transport = MockTransport([.failure(.connectionFailed("connect to uptime.example.test failed"))])
        let harness = try ClientHarness(transport: transport)
        let pinger = try HeartbeatPinger(
            baseURL: ClientHarness.baseURL,
            transport: transport,
            logger: harness.logs.logger(),
            observer: harness.events.observer,
            sleep: harness.sleeps.sleep
        )
        return await harness.run { _ in
            try await pinger.ping(token: Secret(TestSecrets.heartbeatToken), outcome: .exitCode(3))
            return "pinged"
        }
    }

    static func logsClient(_ transport: MockTransport, _ harness: ClientHarness) throws -> LogsIngestClient {
        LogsIngestClient(
            configuration: try LogsIngestConfiguration(
                ingestURL: "https://s1234.eu-nbg-2.betterstackdata.example",
                sourceToken: Secret(TestSecrets.logsToken)
            ),
            transport: transport,
            logger: harness.logs.logger(),
            observer: harness.events.observer,
            sleep: harness.sleeps.sleep
        )
    }

    static func logsUnauthorized() async throws -> ScenarioOutcome {
        let transport = MockTransport([.json(403, "Unauthorized")])
        let harness = try ClientHarness(transport: transport)
        let logs = try logsClient(transport, harness)
        return await harness.run { _ in
            try await logs.send([LogRecord(message: "hello")])
            return "sent"
        }
    }

    static func logsTooLarge() async throws -> ScenarioOutcome {
        let transport = MockTransport([.json(413, "payload reached size limit")])
        let harness = try ClientHarness(transport: transport)
        let logs = try logsClient(transport, harness)
        return await harness.run { _ in
            try await logs.send([LogRecord(message: "hello", atMilliseconds: 0)])
            return "sent"
        }
    }
}
