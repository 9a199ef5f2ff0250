import BetterStack
import Sandbox

/// The client against the real sandbox over real HTTP: one function per situation, each on its
/// own sandbox. ``SandboxClientTests`` checks each one's behaviour; ``SandboxSecretLeakTests``
/// runs them all and checks that no secret shows in anything they produced.
enum SandboxScenarios {
    typealias Run = @Sendable () async throws -> SandboxOutcome

    static let all: [(name: String, run: Run)] = [
        ("threePages", threePages),
        ("fourFullPages", fourFullPages),
        ("firstMonitorOnLastPage", firstMonitorOnLastPage),
        ("firstMonitorOnFirstPage", firstMonitorOnFirstPage),
        ("unauthorized", unauthorized),
        ("notFound", notFound),
        ("slaBadRange", slaBadRange),
        ("rateLimitedThenSuccess", rateLimitedThenSuccess),
        ("rateLimitedExhausted", rateLimitedExhausted),
        ("serverErrorThenSuccess", serverErrorThenSuccess),
        ("serverErrorExhausted", serverErrorExhausted),
        ("timeout", timeout),
        ("truncatedJSON", truncatedJSON),
        ("truncatedConnection", truncatedConnection),
        ("nonJSONBody", nonJSONBody),
        ("resetThenSuccess", resetThenSuccess),
        ("resetExhausted", resetExhausted),
        ("heartbeatPingUnknownToken", heartbeatPingUnknownToken),
    ]

    /// Monitor 200001 in every sandbox (a stable fact).
    static let firstMonitorID = "200001"
    static let firstMonitorURL = "https://example.com/"

    // MARK: - Pagination

    /// 12 monitors, 5 per page: pages of 5, 5 and 2.
    @Sendable static func threePages() async throws -> SandboxOutcome {
        try await SandboxHarness.run(monitors: 12) { context in
            try await context.client.monitors(perPage: 5).map(\.id).joined(separator: ",")
        }
    }

    /// 1000 monitors at the upstream maximum of 250 per page: four full pages.
    @Sendable static func fourFullPages() async throws -> SandboxOutcome {
        try await SandboxHarness.run(monitors: 1000) { context in
            try await context.client.monitors(perPage: 250).map(\.id).joined(separator: ",")
        }
    }

    /// The lookup the original proxy does on every request, for a monitor on the last page.
    @Sendable static func firstMonitorOnLastPage() async throws -> SandboxOutcome {
        try await SandboxHarness.run(monitors: 12) { context in
            // The URL of monitor 12 depends on the seed; ask for it (route `monitor`, not `monitors`).
            let target = try await context.client.monitor(id: "200012")
            guard let url = target.url else { return "monitor 12 has no url" }
            let found = try await context.client.firstMonitor(withURL: url, perPage: 5)
            return found?.id ?? "none"
        }
    }

    /// The same lookup stops after the first page when the monitor is there.
    @Sendable static func firstMonitorOnFirstPage() async throws -> SandboxOutcome {
        try await SandboxHarness.run(monitors: 12) { context in
            try await context.client.firstMonitor(withURL: firstMonitorURL, perPage: 5)?.id ?? "none"
        }
    }

    // MARK: - Error statuses

    @Sendable static func unauthorized() async throws -> SandboxOutcome {
        try await SandboxHarness.run(clientToken: TestSecrets.wrongAPIToken) { context in
            try await context.client.monitors().description
        }
    }

    @Sendable static func notFound() async throws -> SandboxOutcome {
        try await SandboxHarness.run { context in
            try await context.client.monitor(id: "299999").id
        }
    }

    /// `to` before `from`.
    @Sendable static func slaBadRange() async throws -> SandboxOutcome {
        try await SandboxHarness.run { context in
            let sla = try await context.client.sla(
                monitorID: firstMonitorID,
                from: UTCDay("2026-05-03"),
                to: UTCDay("2026-05-01")
            )
            return String(describing: sla)
        }
    }

    // MARK: - Retries

    /// One 429 with `Retry-After: 1`, then the real answer.
    @Sendable static func rateLimitedThenSuccess() async throws -> SandboxOutcome {
        try await SandboxHarness.run { context in
            context.server.setFault(Fault(route: .monitor, retryAfter: 1, count: 1))
            return try await context.client.monitor(id: firstMonitorID).url ?? "no url"
        }
    }

    /// 429 on every attempt.
    @Sendable static func rateLimitedExhausted() async throws -> SandboxOutcome {
        try await SandboxHarness.run { context in
            context.server.setFault(Fault(route: .monitor, retryAfter: 2))
            return try await context.client.monitor(id: firstMonitorID).id
        }
    }

    /// One 503, then the real answer.
    @Sendable static func serverErrorThenSuccess() async throws -> SandboxOutcome {
        try await SandboxHarness.run { context in
            context.server.setFault(Fault(route: .sla, status: 503, count: 1))
            let sla = try await context.client.sla(monitorID: firstMonitorID)
            return String(sla.availability ?? -1)
        }
    }

    /// 500 on every attempt.
    @Sendable static func serverErrorExhausted() async throws -> SandboxOutcome {
        try await SandboxHarness.run { context in
            context.server.setFault(Fault(route: .monitor, status: 500))
            return try await context.client.monitor(id: firstMonitorID).id
        }
    }

    /// The sandbox answers after 1 s; the client gives each attempt 200 ms.
    @Sendable static func timeout() async throws -> SandboxOutcome {
        try await SandboxHarness.run(requestTimeout: .milliseconds(200)) { context in
            context.server.setFault(Fault(route: .monitor, latencyMilliseconds: 1000))
            return try await context.client.monitor(id: firstMonitorID).id
        }
    }

    // MARK: - Bodies

    /// Half the JSON with a matching `Content-Length`: valid HTTP, invalid JSON.
    @Sendable static func truncatedJSON() async throws -> SandboxOutcome {
        try await SandboxHarness.run(monitors: 12) { context in
            context.server.setFault(Fault(route: .monitors, truncate: .json))
            return try await context.client.monitors().description
        }
    }

    /// The full `Content-Length` announced, half sent, connection closed; once, then the real answer.
    @Sendable static func truncatedConnection() async throws -> SandboxOutcome {
        try await SandboxHarness.run { context in
            context.server.setFault(Fault(route: .monitor, truncate: .close, count: 1))
            return try await context.client.monitor(id: firstMonitorID).id
        }
    }

    /// An nginx-style HTML page with status 200.
    @Sendable static func nonJSONBody() async throws -> SandboxOutcome {
        try await SandboxHarness.run { context in
            context.server.setFault(Fault(route: .responseTimes, garbage: true))
            return String(try await context.client.responseTimes(monitorID: firstMonitorID).regions.count)
        }
    }

    /// One TCP reset, then the real answer.
    @Sendable static func resetThenSuccess() async throws -> SandboxOutcome {
        try await SandboxHarness.run { context in
            context.server.setFault(Fault(route: .monitor, reset: true, count: 1))
            return try await context.client.monitor(id: firstMonitorID).id
        }
    }

    /// A TCP reset on every attempt.
    @Sendable static func resetExhausted() async throws -> SandboxOutcome {
        try await SandboxHarness.run { context in
            context.server.setFault(Fault(route: .monitor, reset: true))
            return try await context.client.monitor(id: firstMonitorID).id
        }
    }

    // MARK: - Heartbeat pings

    /// A ping with a token the sandbox does not know: 404, and the token (in the URL path) must
    /// not show anywhere.
    @Sendable static func heartbeatPingUnknownToken() async throws -> SandboxOutcome {
        try await SandboxHarness.run { context in
            let pinger = try HeartbeatPinger(
                baseURL: context.baseURL,
                requestTimeout: .seconds(5),
                retryPolicy: SandboxHarness.retryPolicy,
                transport: context.transport,
                logger: context.logger,
                observer: context.observer,
                sleep: context.sleep
            )
            try await pinger.ping(token: Secret(TestSecrets.heartbeatToken), outcome: .exitCode(3), body: "disk full")
            return "pinged"
        }
    }
}
