import TestSupport
import BetterStack
import Logging
import Sandbox

/// The in-process sandbox on 127.0.0.1:0 and a ``BetterStackClient`` on the real
/// ``AsyncHTTPClientTransport/bridgeDefault`` pointed at it.
///
/// ``run(monitors:clientToken:requestTimeout:retryPolicy:_:)`` starts a sandbox, runs one
/// scenario, shuts the sandbox down and packages what the client produced (value or error, log
/// lines, observer events, retry waits, requests) with what the sandbox counted.
enum SandboxHarness {
    /// Three attempts with tiny backoffs, so retry tests take milliseconds; `Retry-After` is
    /// honoured up to 5 s (and recorded, see ``SleepRecorder/sleep(cappedAt:)``).
    static let retryPolicy: RetryPolicy = {
        var policy = RetryPolicy.betterStack.with(maxAttempts: 3).backingOff(base: .milliseconds(10), cap: .milliseconds(40))
        policy.retryAfterCap = .seconds(5)
        return policy
    }()

    /// Longest real sleep between retries; longer waits are recorded but cut short.
    static let sleepCap = Duration.milliseconds(20)

    /// Runs `body` against a fresh sandbox whose Uptime API token is ``TestSecrets/apiToken``.
    ///
    /// - Parameters:
    ///   - monitors: monitors the sandbox generates (ids 200001…).
    ///   - clientToken: what the client sends (a wrong one for 401 tests).
    ///   - requestTimeout: the client's per-attempt deadline.
    ///   - body: the scenario; gets the client, the server (to set faults) and the parts to build
    ///     other clients from; returns a summary.
    static func run(
        monitors: Int = 5,
        clientToken: String = TestSecrets.apiToken,
        requestTimeout: Duration = .seconds(5),
        retryPolicy: RetryPolicy = SandboxHarness.retryPolicy,
        _ body: @Sendable (SandboxContext) async throws -> String
    ) async throws -> SandboxOutcome {
        // The sandbox is the fake upstream: it legitimately sees the token, so its own log lines
        // are not part of what the bridge shows and go nowhere.
        let server = try await SandboxServer.start(
            SandboxConfiguration(token: TestSecrets.apiToken, monitors: monitors, heartbeats: 3),
            logger: Logger(label: "sandbox") { _ in SwiftLogNoOpLogHandler() }
        )
        let logs = LogStore()
        let sleeps = SleepRecorder()
        let events = EventRecorder()
        let transport = RecordingTransport(AsyncHTTPClientTransport.bridgeDefault)
        let logger = logs.logger(label: "bridge")
        var outcome = ScenarioOutcome()
        let started = ContinuousClock.now
        do {
            let configuration = try BetterStackConfiguration(
                baseURL: "http://127.0.0.1:\(server.port)",
                token: Secret(clientToken),
                requestTimeout: requestTimeout,
                retryPolicy: retryPolicy
            )
            let context = SandboxContext(
                client: BetterStackClient(
                    configuration: configuration,
                    transport: transport,
                    logger: logger,
                    observer: events.observer,
                    sleep: sleeps.sleep(cappedAt: sleepCap)
                ),
                server: server,
                transport: transport,
                logger: logger,
                observer: events.observer,
                sleep: sleeps.sleep(cappedAt: sleepCap)
            )
            outcome.value = try await body(context)
        } catch let error as BetterStackError {
            outcome.error = error
        } catch {
            outcome.otherError = String(describing: error)
        }
        let elapsed = ContinuousClock.now - started
        let counts = Dictionary(
            uniqueKeysWithValues: server.routeNames.map { ($0, server.requestCount($0)) }.filter { $0.1 > 0 }
        )
        try await server.shutdown()
        outcome.logs = logs.all
        outcome.events = events.all
        outcome.requests = transport.requests
        outcome.waits = sleeps.all
        return SandboxOutcome(client: outcome, requestCounts: counts, elapsed: elapsed)
    }
}

/// What a sandbox scenario works with.
struct SandboxContext: Sendable {
    /// The Uptime API client, on the real transport, pointed at the sandbox.
    let client: BetterStackClient
    /// The running sandbox (faults, counts).
    let server: SandboxServer
    /// The recording real transport, for other clients (heartbeat pinger).
    let transport: RecordingTransport
    /// The recorded logger.
    let logger: Logger
    /// The recorded observer.
    let observer: UpstreamObserver
    /// The recorded, capped sleep.
    let sleep: UpstreamSleep

    /// `http://127.0.0.1:<port>`.
    var baseURL: String { "http://127.0.0.1:\(server.port)" }
}

/// What one sandbox scenario produced.
struct SandboxOutcome: Sendable {
    /// The client side: value or error, logs, events, waits, requests.
    var client: ScenarioOutcome
    /// Requests the sandbox counted, by route (routes with none left out).
    var requestCounts: [RouteName: Int]
    /// Wall time of the scenario body.
    var elapsed: Duration

    var value: String? { client.value }
    var error: BetterStackError? { client.error }

    /// Requests the sandbox counted on `route`.
    func requests(_ route: RouteName) -> Int { requestCounts[route, default: 0] }

    /// Every request the sandbox counted.
    var totalRequests: Int { requestCounts.values.reduce(0, +) }

    /// The observer's outcome labels in order (`"429"`, `"200"`, `"connection_reset"`, …).
    var outcomes: [String] { client.events.map(\.outcomeLabel) }
}
